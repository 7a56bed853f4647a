#include "status.h"

const char *ip_status_message(ip_status status) {
    switch (status) {
    case IP_OK: return "ok";
    case IP_ERR_NULL: return "a required array is missing (NULL pointer)";
    case IP_ERR_RANGE: return "a player index or player count is out of range";
    case IP_ERR_TOO_LARGE: return "the number of players is too large for an exact method";
    case IP_ERR_NONFINITE: return "the game has a non-finite value (NaN or Inf)";
    case IP_ERR_NOMEM: return "out of memory";
    case IP_ERR_ARG: return "invalid argument";
    }
    return "unknown status";
}
