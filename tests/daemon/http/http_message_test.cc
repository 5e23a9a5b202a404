#include "daemon/http/http_message.h"

#include <catch2/catch.hpp>

namespace pastebin {
namespace {

TEST_CASE("responses serialize with length, connection and date") {
  HttpResponse res;
  res.status = 404;
  res.SetContent("{}", "application/json");
  std::string date = "Sat, 28 Nov 2026 08:00:00 GMT";
  CHECK(SerializeResponse(res, true, false, date) ==
        "HTTP/1.1 404 Not Found\r\nDate: Sat, 28 Nov 2026 08:00:00 GMT\r\n"
        "Content-Type: application/json\r\nContent-Length: 2\r\n"
        "Connection: keep-alive\r\n\r\n{}");
  CHECK(SerializeResponse(res, false, true, date) ==
        "HTTP/1.1 404 Not Found\r\nDate: Sat, 28 Nov 2026 08:00:00 GMT\r\n"
        "Content-Type: application/json\r\nContent-Length: 2\r\n"
        "Connection: close\r\n\r\n");
  HttpResponse none;
  none.status = 204;
  CHECK(SerializeResponse(none, true, false, date) ==
        "HTTP/1.1 204 No Content\r\nDate: Sat, 28 Nov 2026 08:00:00 GMT\r\n"
        "Connection: keep-alive\r\n\r\n");
}

}  // namespace
}  // namespace pastebin
