from prioritization.ui.navigation import go_home

go_home()
