"""Skills and education pathways: campaigns, courses, enrolments, certificates, degree upgrades."""
