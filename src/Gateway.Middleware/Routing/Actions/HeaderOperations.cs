using Gateway.Middleware.Configuration;
using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Routing.Actions;

/// <summary>
/// Compiled header operations (Istio <c>Headers.HeaderOperations</c>, Envoy <c>*_headers_to_add/remove</c>):
/// <c>remove</c> first, then <c>set</c> (overwrite), then <c>add</c> (one more value: Envoy's
/// <c>APPEND_IF_EXISTS_OR_ADD</c>), names case-insensitive. On the upstream request <c>Host</c> and
/// <c>:authority</c> cannot be removed, and setting or adding them rewrites the authority (Istio treats them so);
/// other pseudo-headers and names that are not HTTP tokens are ignored.
/// </summary>
internal sealed class HeaderOperations
{
    private readonly RequestOperation[] _requestRemove;
    private readonly RequestOperation[] _requestSet;
    private readonly RequestOperation[] _requestAdd;
    private readonly string[] _responseRemove;
    private readonly KeyValuePair<string, string>[] _responseSet;
    private readonly KeyValuePair<string, string>[] _responseAdd;

    public HeaderOperations(HeaderOperationsConfig config)
    {
        Set = [.. config.Set];
        Add = [.. config.Add];
        Remove = [.. config.Remove];

        var remove = new List<RequestOperation>();
        foreach (var name in Remove)
        {
            if (HeaderNames.Classify(name) is var kind and (HeaderKind.Request or HeaderKind.Content))
            {
                remove.Add(new RequestOperation(name, "", kind));
            }
        }

        _requestRemove = [.. remove];
        _requestSet = CompileRequest(Set);
        _requestAdd = CompileRequest(Add);
        _responseRemove = Array.FindAll(Remove, HeaderNames.IsToken);
        _responseSet = Array.FindAll(Set, static h => HeaderNames.IsToken(h.Key) && HeaderNames.IsValidValue(h.Value));
        _responseAdd = Array.FindAll(Add, static h => HeaderNames.IsToken(h.Key) && HeaderNames.IsValidValue(h.Value));
    }

    public KeyValuePair<string, string>[] Set { get; }

    public KeyValuePair<string, string>[] Add { get; }

    public string[] Remove { get; }

    /// <summary>Applies the operations to the request sent upstream (after the client's headers were copied).</summary>
    public void ApplyTo(HttpRequestMessage message)
    {
        foreach (var operation in _requestRemove)
        {
            if (operation.Kind == HeaderKind.Content)
            {
                message.Content?.Headers.Remove(operation.Name);
            }
            else
            {
                message.Headers.Remove(operation.Name);
            }
        }

        foreach (var operation in _requestSet)
        {
            Write(message, operation, replace: true);
        }

        foreach (var operation in _requestAdd)
        {
            // Istio: adding :authority is a rewrite too; a request has one Host.
            Write(message, operation, replace: operation.Kind == HeaderKind.Authority);
        }
    }

    /// <summary>Applies the operations to the response sent to the client (before it starts).</summary>
    public void ApplyTo(IHeaderDictionary headers)
    {
        foreach (var name in _responseRemove)
        {
            headers.Remove(name);
        }

        foreach (var (name, value) in _responseSet)
        {
            headers[name] = value;
        }

        foreach (var (name, value) in _responseAdd)
        {
            headers.Append(name, value);
        }
    }

    private static void Write(HttpRequestMessage message, RequestOperation operation, bool replace)
    {
        switch (operation.Kind)
        {
            case HeaderKind.Authority:
                message.Headers.Remove(Microsoft.Net.Http.Headers.HeaderNames.Host);
                message.Headers.TryAddWithoutValidation(Microsoft.Net.Http.Headers.HeaderNames.Host, operation.Value);
                break;
            case HeaderKind.Content when message.Content is { } content:
                if (replace)
                {
                    content.Headers.Remove(operation.Name);
                }

                content.Headers.TryAddWithoutValidation(operation.Name, operation.Value);
                break;
            case HeaderKind.Request:
                if (replace)
                {
                    message.Headers.Remove(operation.Name);
                }

                message.Headers.TryAddWithoutValidation(operation.Name, operation.Value);
                break;
        }
    }

    private static RequestOperation[] CompileRequest(KeyValuePair<string, string>[] headers)
    {
        var compiled = new List<RequestOperation>(headers.Length);
        foreach (var (name, value) in headers)
        {
            if (!HeaderNames.IsValidValue(value))
            {
                continue;
            }

            if (HeaderNames.IsAuthority(name))
            {
                compiled.Add(new RequestOperation(name, value, HeaderKind.Authority));
            }
            else if (HeaderNames.Classify(name) is var kind and (HeaderKind.Request or HeaderKind.Content))
            {
                compiled.Add(new RequestOperation(name, value, kind));
            }
        }

        return [.. compiled];
    }

    private enum HeaderKind
    {
        Ignored,
        Request,
        Content,
        Authority,
    }

    private readonly record struct RequestOperation(string Name, string Value, HeaderKind Kind);

    private static class HeaderNames
    {
        private static readonly System.Buffers.SearchValues<char> TokenChars =
            System.Buffers.SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

        public static bool IsAuthority(string name)
            => string.Equals(name, "host", StringComparison.OrdinalIgnoreCase) || string.Equals(name, ":authority", StringComparison.OrdinalIgnoreCase);

        /// <summary>RFC 9110 §5.1: a field name is a token.</summary>
        public static bool IsToken(string name) => name.Length > 0 && !name.AsSpan().ContainsAnyExcept(TokenChars);

        /// <summary>RFC 9110 §5.5: no CR, LF or NUL (the characters that would split or end a field).</summary>
        public static bool IsValidValue(string value) => value.AsSpan().IndexOfAny('\r', '\n', '\0') < 0;

        /// <summary>Where a header goes on an <see cref="HttpRequestMessage"/>: the message, its content, or nowhere.</summary>
        public static HeaderKind Classify(string name)
        {
            if (!IsToken(name) || IsAuthority(name))
            {
                return HeaderKind.Ignored;
            }

            // HttpClient files Content-Type, Content-Length, Expires... under the content; probe once, at compile time.
            using var probe = new HttpRequestMessage();
            if (probe.Headers.TryAddWithoutValidation(name, "x"))
            {
                return HeaderKind.Request;
            }

            using var content = new ByteArrayContent([]);
            return content.Headers.TryAddWithoutValidation(name, "x") ? HeaderKind.Content : HeaderKind.Ignored;
        }
    }
}
