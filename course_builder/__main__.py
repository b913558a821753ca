from course_builder.cli import main

main()
