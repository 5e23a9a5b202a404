#include "daemon/http/http_connection.h"

#include <errno.h>
#include <openssl/err.h>
#include <sys/socket.h>

#include <algorithm>

namespace pastebin {

ssize_t Connection::Receive(char* buf, size_t size) {
  if (!ssl) return recv(fd, buf, size, 0);
  ERR_clear_error();
  int n = SSL_read(ssl, buf, static_cast<int>(size));
  if (n > 0) return n;
  switch (SSL_get_error(ssl, n)) {
    case SSL_ERROR_WANT_READ:
      errno = EAGAIN;
      return -1;
    case SSL_ERROR_WANT_WRITE:
      ssl_wants_write = true;
      errno = EAGAIN;
      return -1;
    default:  // close_notify, a failed handshake (plain HTTP, say), errors
      return 0;
  }
}

ssize_t Connection::Send(const char* data, size_t size) {
  if (!ssl) return send(fd, data, size, MSG_NOSIGNAL);
  ERR_clear_error();
  int w = SSL_write(ssl, data, static_cast<int>(std::min<size_t>(size, 1 << 30)));
  if (w > 0) return w;
  int err = SSL_get_error(ssl, w);
  errno = err == SSL_ERROR_WANT_WRITE || err == SSL_ERROR_WANT_READ ? EAGAIN : EPIPE;
  return -1;
}

}  // namespace pastebin
