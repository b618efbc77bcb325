# ctest translations_complete: every %n message in the sources has its English plural forms in ftcancel_en.ts
# (otherwise the app shows "1 second(s)"). Runs lupdate on a copy of the .ts file, so the repository is untouched.
# Fix a failure with: cmake --build build --target update_translations
#                     resources/translations/fill-english-plurals.py
# Inputs: -DLUPDATE=<lupdate> -DTS_FILE=<ftcancel_en.ts> -DSOURCES_FILE=<file with one source per line> -DWORK=<dir>
file(MAKE_DIRECTORY "${WORK}")
set(copy "${WORK}/ftcancel_en.ts")
configure_file("${TS_FILE}" "${copy}" COPYONLY)
execute_process(
    COMMAND "${LUPDATE}" -pluralonly -no-obsolete -locations none "@${SOURCES_FILE}" -ts "${copy}"
    RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "lupdate failed (${rc}): ${err}")
endif()
file(READ "${copy}" text)
string(REGEX MATCHALL "<source>[^<]*</source>[ \n\r\t]*<translation type=\"unfinished\"" missing "${text}")
list(LENGTH missing count)
if(count GREATER 0)
    string(REPLACE ";" "\n" missing "${missing}")
    message(FATAL_ERROR "${count} %n message(s) without English plural forms:\n${missing}\n"
        "Run: cmake --build build --target update_translations && resources/translations/fill-english-plurals.py")
endif()
message(STATUS "every %n message has its English plural forms")
