"""Company pages, split by audience: the public directory, onboarding and editing, members, coordinators."""
