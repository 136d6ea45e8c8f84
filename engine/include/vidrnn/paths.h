// Per-user folders after the XDG base directory specification, so that an
// installed program run from any folder keeps its data in one known place.
// A variable that is unset, empty or relative is ignored (as the
// specification asks); without HOME the password database gives the home,
// and without either they throw ConfigError (never a folder in /tmp, which
// other users may write).
#pragma once

#include <string>

namespace vidrnn {

// $XDG_DATA_HOME/vidrnn, else ~/.local/share/vidrnn. Not created here.
std::string userDataDir();

// $XDG_CACHE_HOME/vidrnn, else ~/.cache/vidrnn. Not created here.
std::string userCacheDir();

}  // namespace vidrnn
