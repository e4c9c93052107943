// pgping lands with the connection (issue 4).
print("pgping: not yet implemented")
