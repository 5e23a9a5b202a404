#include "daemon/http/form_data.h"

#include "common/strings.h"
#include "daemon/http/http_message.h"

namespace pastebin {
namespace {

// The value of parameter `name` in a header like
// 'form-data; name="file"; filename="a.txt"', unquoted.
std::optional<std::string> HeaderParam(std::string_view header, std::string_view name) {
  size_t at = 0;
  while ((at = header.find(';', at)) != std::string_view::npos) {
    std::string_view rest = Trim(header.substr(at + 1));
    size_t eq = rest.find('=');
    at++;
    if (eq == std::string_view::npos) continue;
    if (!EqualsIgnoreCase(Trim(rest.substr(0, eq)), name)) continue;
    std::string_view value = rest.substr(eq + 1);
    if (!value.empty() && value.front() == '"') {
      std::string out;
      for (size_t i = 1; i < value.size() && value[i] != '"'; ++i) {
        if (value[i] == '\\' && i + 1 < value.size()) ++i;
        out.push_back(value[i]);
      }
      return out;
    }
    return std::string(Trim(value.substr(0, value.find(';'))));
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> FieldValue(const std::vector<FormField>& fields,
                                      std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    for (const FormField& f : fields) {
      if (f.name == name) return f.value;
    }
  }
  return std::nullopt;
}

bool IsMediaType(std::string_view content_type, std::string_view type) {
  return EqualsIgnoreCase(Trim(content_type.substr(0, content_type.find(';'))), type);
}

std::optional<std::vector<FormField>> ParseUrlEncoded(std::string_view body, size_t max_fields) {
  std::vector<FormField> out;
  while (!body.empty()) {
    size_t amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    FormField f;
    f.name = PercentDecode(pair.substr(0, eq), true);
    if (eq != std::string_view::npos) f.value = PercentDecode(pair.substr(eq + 1), true);
    if (out.size() == max_fields) return std::nullopt;
    out.push_back(std::move(f));
  }
  return out;
}

std::optional<std::string> MultipartBoundary(std::string_view content_type) {
  if (!IsMediaType(content_type, "multipart/form-data")) return std::nullopt;
  auto boundary = HeaderParam(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 200) return std::nullopt;
  return boundary;
}

std::optional<std::vector<FormField>> ParseMultipart(std::string_view body,
                                                     std::string_view boundary, size_t max_fields) {
  std::string delimiter = "--" + std::string(boundary);
  std::vector<FormField> out;
  size_t at = body.find(delimiter);
  if (at == std::string_view::npos) return std::nullopt;
  at += delimiter.size();
  // Lines end in CRLF (RFC 7578), or in LF alone as shell scripts write
  // them (wgetpaste's echo): the first delimiter line says which.
  size_t first_eol = body.find('\n', at);
  if (first_eol == std::string_view::npos && body.compare(at, 2, "--") != 0) return std::nullopt;
  const std::string_view nl =
      first_eol != std::string_view::npos && first_eol > at && body[first_eol - 1] == '\r' ? "\r\n"
                                                                                           : "\n";
  const std::string blank = std::string(nl) + std::string(nl);
  const std::string next_delimiter = std::string(nl) + delimiter;
  for (;;) {
    if (body.compare(at, 2, "--") == 0) return out;  // the closing delimiter
    // The rest of the delimiter line, then the part's headers.
    size_t line_end = body.find(nl, at);
    if (line_end == std::string_view::npos) return std::nullopt;
    size_t headers_start = line_end + nl.size();
    size_t headers_end;
    std::string_view headers;
    if (body.compare(headers_start, nl.size(), nl) == 0) {
      headers_end = headers_start;  // no headers at all
    } else {
      headers_end = body.find(blank, line_end);
      if (headers_end == std::string_view::npos) return std::nullopt;
      headers = body.substr(headers_start, headers_end - headers_start);
      headers_end += nl.size();
    }
    FormField field;
    bool form_data = false;
    while (!headers.empty()) {
      size_t eol = headers.find(nl);
      std::string_view line = headers.substr(0, eol);
      headers =
          eol == std::string_view::npos ? std::string_view() : headers.substr(eol + nl.size());
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      if (!EqualsIgnoreCase(Trim(line.substr(0, colon)), "Content-Disposition")) continue;
      std::string_view value = Trim(line.substr(colon + 1));
      form_data = EqualsIgnoreCase(value.substr(0, value.find(';')), "form-data");
      field.name = HeaderParam(value, "name").value_or("");
      field.filename = HeaderParam(value, "filename").value_or("");
    }
    size_t data_start = headers_end + nl.size();
    // The data ends at a line end followed by the next delimiter.
    size_t next = body.find(next_delimiter, data_start);
    if (next == std::string_view::npos) return std::nullopt;
    field.value = std::string(body.substr(data_start, next - data_start));
    if (form_data) {
      if (out.size() == max_fields) return std::nullopt;
      out.push_back(std::move(field));
    }
    at = next + next_delimiter.size();
  }
}

}  // namespace pastebin
