using System.Text;

namespace Gateway.Middleware.Forwarding;

/// <summary>
/// Decodes the request's <c>Connection</c> header (as Kestrel's default: ASCII or strict UTF-8, no NUL) so that
/// Kestrel keeps every token of it. Kestrel replaces a value whose only option is <c>keep-alive</c>,
/// <c>close</c> or <c>upgrade</c> with that one token (an interning optimisation in
/// <c>HttpHeaders.ParseConnection</c>), which would hide the other header names the client listed as
/// hop-by-hop (RFC 9110 §7.6.1), and the gateway would forward them. The value is adjusted so Kestrel sees
/// two options and leaves it alone, with the same effect on the connection:
/// <list type="bullet">
/// <item><c>keep-alive, x-foo</c> → <c>x-foo</c> (HTTP/1.1 connections persist by default; an HTTP/1.0 one is closed);</item>
/// <item><c>close, x-foo</c> → <c>keep-alive, close, x-foo</c> (close wins);</item>
/// <item><c>upgrade, x-foo</c> → <c>keep-alive, upgrade, x-foo</c>.</item>
/// </list>
/// </summary>
internal sealed class ConnectionHeaderEncoding : Encoding
{
    public static readonly ConnectionHeaderEncoding Instance = new();

    private const string KeepAlive = "keep-alive";
    private const string KeepAlivePrefix = "keep-alive, ";

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Kestrel's request header encoding selector, with this encoding for <c>Connection</c>.</summary>
    public static Func<string, Encoding?> Wrap(Func<string, Encoding?> selector)
        => name => ReferenceEquals(name, Microsoft.Net.Http.Headers.HeaderNames.Connection)
            || string.Equals(name, Microsoft.Net.Http.Headers.HeaderNames.Connection, StringComparison.OrdinalIgnoreCase)
                ? Instance
                : selector(name);

    /// <summary>The value Kestrel must see for <paramref name="value"/> to keep its tokens; the value itself when nothing would be lost.</summary>
    public static string PreserveTokens(string value)
    {
        if (!value.Contains(',', StringComparison.Ordinal))
        {
            return value;
        }

        var keepAlive = false;
        var close = false;
        var upgrade = false;
        var others = 0;
        foreach (var range in value.AsSpan().Split(','))
        {
            // Kestrel skips spaces only (not tabs) around tokens.
            var token = value.AsSpan(range.Start.Value, range.End.Value - range.Start.Value).Trim(' ');
            if (token.IsEmpty)
            {
                continue;
            }

            if (token.Equals(KeepAlive, StringComparison.OrdinalIgnoreCase))
            {
                keepAlive = true;
            }
            else if (token.Equals("close", StringComparison.OrdinalIgnoreCase))
            {
                close = true;
            }
            else if (token.Equals("upgrade", StringComparison.OrdinalIgnoreCase))
            {
                upgrade = true;
            }
            else
            {
                others++;
            }
        }

        if (others == 0)
        {
            return value;
        }

        if (keepAlive && !close && !upgrade)
        {
            var kept = new StringBuilder(value.Length);
            foreach (var range in value.AsSpan().Split(','))
            {
                var token = value.AsSpan(range.Start.Value, range.End.Value - range.Start.Value).Trim(' ');
                if (token.IsEmpty || token.Equals(KeepAlive, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                kept.Append(kept.Length == 0 ? "" : ", ").Append(token);
            }

            return kept.ToString();
        }

        return !keepAlive && close != upgrade ? KeepAlivePrefix + value : value;
    }

    public override int GetByteCount(char[] chars, int index, int count) => Strict.GetByteCount(chars, index, count);

    public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex)
        => Strict.GetBytes(chars, charIndex, charCount, bytes, byteIndex);

    public override int GetCharCount(byte[] bytes, int index, int count) => Decode(bytes, index, count).Length;

    public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex)
    {
        var value = Decode(bytes, byteIndex, byteCount);
        value.CopyTo(chars.AsSpan(charIndex));
        return value.Length;
    }

    public override int GetMaxByteCount(int charCount) => Strict.GetMaxByteCount(charCount);

    public override int GetMaxCharCount(int byteCount) => byteCount + KeepAlivePrefix.Length;

    private static string Decode(byte[] bytes, int index, int count)
    {
        var span = bytes.AsSpan(index, count);
        if (span.Contains((byte)0))
        {
            // Kestrel rejects NUL in header values; keep doing so.
            throw new DecoderFallbackException("NUL is not allowed in a header value.");
        }

        return PreserveTokens(Strict.GetString(span));
    }
}
