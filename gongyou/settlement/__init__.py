"""Settlement (hukou) policies as versioned data and the eligibility engine."""
