"""Reading documents into pages of positioned words (text layer or OCR)."""
