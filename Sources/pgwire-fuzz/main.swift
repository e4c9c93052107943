// Placeholder until the fuzz entries land.
print("pgwire-fuzz")
