// Form bodies as browsers, curl and pastebinit send them:
// application/x-www-form-urlencoded and multipart/form-data.
#ifndef PASTEBIN_DAEMON_HTTP_FORM_DATA_H_
#define PASTEBIN_DAEMON_HTTP_FORM_DATA_H_

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pastebin {

struct FormField {
  std::string name;
  std::string value;     // decoded bytes (a file's contents, exactly)
  std::string filename;  // multipart file parts only
};

// The most fields a form may have (as PHP's max_input_vars): a field
// costs a heap object however little of the body it takes ("=&" is one).
constexpr size_t kMaxFormFields = 1000;

// "a=1&b=x+y%21" → {a: "1", b: "x y!"}; malformed escapes are kept as they
// are. nullopt for more than max_fields fields.
std::optional<std::vector<FormField>> ParseUrlEncoded(std::string_view body,
                                                      size_t max_fields = kMaxFormFields);

// The parts of a multipart/form-data body with this boundary (taken from
// the Content-Type, see MultipartBoundary), its lines ending in CRLF or,
// as shell scripts write them, in LF alone (the first line says which).
// nullopt if the body is not well-formed multipart, or has more than
// max_fields parts.
std::optional<std::vector<FormField>> ParseMultipart(std::string_view body,
                                                     std::string_view boundary,
                                                     size_t max_fields = kMaxFormFields);

// The boundary parameter of a multipart/form-data Content-Type, or nullopt
// if content_type is not multipart/form-data with a boundary.
std::optional<std::string> MultipartBoundary(std::string_view content_type);

// The value of the first of names the form has, or nullopt.
std::optional<std::string> FieldValue(const std::vector<FormField>& fields,
                                      std::initializer_list<std::string_view> names);

// True if content_type's media type is type (case-insensitive; parameters
// such as "; charset=utf-8" ignored).
bool IsMediaType(std::string_view content_type, std::string_view type);

}  // namespace pastebin

#endif  // PASTEBIN_DAEMON_HTTP_FORM_DATA_H_
