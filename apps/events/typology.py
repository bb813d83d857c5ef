"""The event typology: ACLED's six event types with their sub-event types and disorder types, given to every project
that has not changed it (ProjectTypology holds a project's own, made when an owner first edits it)."""

ACLED_TYPOLOGY = [
    {
        "name": "Battles",
        "disorder_type": "Political violence",
        "sub_types": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    },
    {
        "name": "Explosions/Remote violence",
        "disorder_type": "Political violence",
        "sub_types": [
            "Chemical weapon",
            "Air/drone strike",
            "Suicide bomb",
            "Shelling/artillery/missile attack",
            "Remote explosive/landmine/IED",
            "Grenade",
        ],
    },
    {
        "name": "Violence against civilians",
        "disorder_type": "Political violence",
        "sub_types": ["Sexual violence", "Attack", "Abduction/forced disappearance"],
    },
    {
        "name": "Protests",
        "disorder_type": "Demonstrations",
        "sub_types": ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"],
    },
    {
        "name": "Riots",
        "disorder_type": "Demonstrations",
        "sub_types": ["Violent demonstration", "Mob violence"],
    },
    {
        "name": "Strategic developments",
        "disorder_type": "Strategic developments",
        "sub_types": [
            "Agreement",
            "Arrests",
            "Change to group/activity",
            "Disrupted weapons use",
            "Headquarters or base established",
            "Looting/property destruction",
            "Non-violent transfer of territory",
            "Other",
        ],
    },
]
