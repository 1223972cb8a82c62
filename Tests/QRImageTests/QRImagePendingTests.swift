// The QRImage tests (zbarimg round trips) arrive with the VietQR issue (#3).
