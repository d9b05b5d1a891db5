"""Browse Mixcloud: the screen, its columns, its requests and account messages, the upload dialog."""
