enum _PlaceholderChoSoApp {}
