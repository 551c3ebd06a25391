# By team id:
terraform import bifrost_team.platform 8c2d5e7a-1f3b-4a6c-9d0e-2b4f6a8c0e13

# By team name (team names are unique):
terraform import bifrost_team.platform name=acme-platform
