"""The words a generated statement prints, per language: column headers, labels, boilerplate."""

from __future__ import annotations

from typing import TypedDict


class Locale(TypedDict):
    columns: dict[str, list[str]]
    opening: list[str]
    closing: list[str]
    brought: str
    carried: str
    page_total: str
    period: list[str]  # "{start}" / "{end}" placeholders
    account: list[str]
    holder: list[str]
    currency: list[str]  # "{code}" / "{words}" placeholders
    title: list[str]
    disclaimer: list[str]


LOCALES: dict[str, Locale] = {
    "en": {
        "columns": {
            "date": ["Date", "Posting Date", "Trans. Date", "Txn Date", "Date Posted"],
            "value_date": ["Value Date", "Effective Date"],
            "description": [
                "Description",
                "Details",
                "Transaction Details",
                "Particulars",
                "Narration",
                "Transaction",
            ],
            "reference": ["Ref", "Check No.", "Chq./Ref.No.", "Reference", "Cheque No"],
            "debit": [
                "Withdrawals",
                "Debits",
                "Paid out",
                "Money out",
                "Withdrawal Amt.",
                "Debit",
                "Payments",
                "Withdrawals/Debits",
            ],
            "credit": [
                "Deposits",
                "Credits",
                "Paid in",
                "Money in",
                "Deposit Amt.",
                "Credit",
                "Receipts",
                "Deposits/Credits",
            ],
            "amount": ["Amount", "Transaction Amount", "Amount ($)"],
            "balance": [
                "Balance",
                "Running Balance",
                "Closing Balance",
                "Daily Balance",
                "Ending Daily Balance",
            ],
        },
        "opening": [
            "Opening balance",
            "Beginning balance",
            "Previous balance",
            "Balance at start of period",
            "Starting balance",
        ],
        "closing": ["Closing balance", "Ending balance", "New balance", "Balance at end of period"],
        "brought": "Balance brought forward",
        "carried": "Balance carried forward",
        "page_total": "Page total",
        "period": [
            "Statement period: {start} to {end}",
            "For the period {start} - {end}",
            "{start} through {end}",
            "Statement from {start} to {end}",
            "Period: {start} – {end}",
        ],
        "account": [
            "Account number: {n}",
            "Account No. {n}",
            "A/C No: {n}",
            "Account {n}",
            "Account Number {n}",
        ],
        "holder": ["Account holder: {h}", "Name: {h}", "Customer: {h}", "Account name {h}"],
        "currency": ["Currency: {code}", "All amounts in {words}", "Account currency {code}"],
        "title": [
            "Account Statement",
            "Statement of Account",
            "Your bank statement",
            "Checking Account Statement",
        ],
        "disclaimer": [
            "Questions? Call 1-800-555-0199 or 020 7946 0958, 24/7. Calls may be recorded.",
            "Please examine this statement promptly. Report errors within 60 days of 01/02/2020.",
            "Member FDIC. Equal Housing Lender. Ref 12.50 fee applies per copy statement.",
            "Deposits are protected up to 85,000.00 per person. Branch 10-20-30.",
        ],
    },
    "de": {
        "columns": {
            "date": ["Buchungstag", "Datum", "Buchung"],
            "value_date": ["Valuta", "Wert"],
            "description": ["Verwendungszweck", "Buchungstext", "Vorgang", "Erläuterung"],
            "reference": ["Referenz", "Beleg"],
            "debit": ["Soll", "Belastung", "Ausgang"],
            "credit": ["Haben", "Gutschrift", "Eingang"],
            "amount": ["Betrag", "Umsatz", "Betrag EUR"],
            "balance": ["Saldo", "Kontostand"],
        },
        "opening": ["Alter Kontostand", "Anfangssaldo", "Saldo alt"],
        "closing": ["Neuer Kontostand", "Endsaldo", "Saldo neu"],
        "brought": "Übertrag",
        "carried": "Übertrag auf Seite",
        "page_total": "Summe Seite",
        "period": ["Kontoauszug vom {start} bis {end}", "Zeitraum: {start} - {end}"],
        "account": ["Kontonummer: {n}", "Konto-Nr. {n}", "IBAN {n}"],
        "holder": ["Kontoinhaber: {h}", "Inhaber: {h}"],
        "currency": ["Währung: {code}", "Beträge in {words}"],
        "title": ["Kontoauszug", "Girokonto Kontoauszug"],
        "disclaimer": [
            "Bitte prüfen Sie diesen Auszug. Einwendungen bis 31.12.2025. Tel. 0800 123 4567.",
            "Einlagen sind bis 100.000,00 EUR gesichert. BLZ 370 400 44.",
        ],
    },
    "fr": {
        "columns": {
            "date": ["Date", "Date opé.", "Date opération"],
            "value_date": ["Valeur", "Date valeur"],
            "description": ["Libellé", "Libellé de l'opération", "Opération", "Nature"],
            "reference": ["Réf.", "N° pièce"],
            "debit": ["Débit", "Débits", "Montant débit"],
            "credit": ["Crédit", "Crédits", "Montant crédit"],
            "amount": ["Montant", "Montant (EUR)"],
            "balance": ["Solde", "Solde courant"],
        },
        "opening": ["Solde précédent", "Ancien solde", "Solde initial"],
        "closing": ["Nouveau solde", "Solde final", "Solde au"],
        "brought": "Report",
        "carried": "A reporter",
        "page_total": "Total page",
        "period": ["Relevé du {start} au {end}", "Période du {start} au {end}"],
        "account": ["N° de compte : {n}", "Compte n° {n}", "Numéro de compte {n}"],
        "holder": ["Titulaire : {h}", "Titulaire du compte : {h}"],
        "currency": ["Devise : {code}", "Montants en {words}"],
        "title": ["Relevé de compte", "Extrait de compte"],
        "disclaimer": [
            "Service client : 01 23 45 67 89 du lundi au vendredi. Frais 2,50 par relevé.",
            "Médiateur : 12 rue de la Paix 75002 Paris, réponse sous 30 jours au 01/01/2026.",
        ],
    },
}

CURRENCY_WORDS = {
    "USD": "US dollars",
    "GBP": "pounds sterling",
    "EUR": "euros",
    "INR": "Indian rupees",
    "AUD": "Australian dollars",
    "CAD": "Canadian dollars",
    "CHF": "Swiss francs",
    "ZAR": "South African rand",
    "NZD": "New Zealand dollars",
}
CURRENCY_SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€"}

UNKNOWN_LABELS = {
    "description": "Counterparty",
    "debit": "Outflow",
    "credit": "Inflow",
    "amount": "Movement",
    "reference": "Voucher",
}
"""Header labels no conventions table knows: the extractor must cope from positions alone."""
