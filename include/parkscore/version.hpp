#pragma once

#define PARKSCORE_VERSION_MAJOR 0
#define PARKSCORE_VERSION_MINOR 1
#define PARKSCORE_VERSION_PATCH 0

namespace parkscore {
inline constexpr const char* version = "0.1.0";
}
