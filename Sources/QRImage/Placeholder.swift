enum _PlaceholderQRImage {}
