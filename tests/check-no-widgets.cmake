# The command line must not load the widget libraries (app/main.cpp loads them with the window module, only for the
# window): fails when BINARY needs Qt Widgets or Qt Gui.
#   cmake -DOBJDUMP=… -DBINARY=… -P check-no-widgets.cmake
execute_process(COMMAND "${OBJDUMP}" -p "${BINARY}" OUTPUT_VARIABLE headers RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "objdump -p ${BINARY} failed")
endif()
string(REGEX MATCHALL "NEEDED +[^\n]+" needed "${headers}")
message(STATUS "${BINARY}: ${needed}")
foreach(library IN ITEMS libQt6Widgets libQt6Gui)
    if(needed MATCHES "${library}")
        message(FATAL_ERROR "${BINARY} loads ${library}: the command line would pay for the window's libraries")
    endif()
endforeach()
