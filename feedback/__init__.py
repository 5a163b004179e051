"""What residents tell the city about a recommendation's status: stored for the manager, who
reviews it in the admin; nothing residents write is ever published."""
