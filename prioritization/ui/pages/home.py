from prioritization.ui.shell.navigation import go_home

go_home()
