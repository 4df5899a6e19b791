"""What a password must be: long enough to resist guessing, short enough to hash cheaply."""

MIN_PASSWORD, MAX_PASSWORD = 8, 1024
