"""The IMAP mailbox watcher."""
