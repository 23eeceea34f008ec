using System.Globalization;

namespace Gateway.Middleware.Diagnostics;

internal sealed partial class AccessLogFormat
{
    /// <summary>Splits a format string into literals and <c>%OPERATOR%</c>s (<c>%REQ(A?B):N%</c> as Envoy).</summary>
    internal static AccessLogSegment[] Parse(string format)
    {
        var segments = new List<AccessLogSegment>();
        var literal = new System.Text.StringBuilder();
        var i = 0;
        while (i < format.Length)
        {
            var c = format[i];
            if (c != '%')
            {
                literal.Append(c);
                i++;
                continue;
            }

            var end = format.IndexOf('%', i + 1);
            if (end < 0)
            {
                throw new ArgumentException($"access log format: '%' at position {i} starts an operator that is never closed");
            }

            if (end == i + 1)
            {
                // "%%" is a literal percent sign.
                literal.Append('%');
                i = end + 1;
                continue;
            }

            if (literal.Length > 0)
            {
                segments.Add(new AccessLogSegment(AccessLogOperatorKind.Literal, literal.ToString()));
                literal.Clear();
            }

            segments.Add(ParseOperator(format[(i + 1)..end]));
            i = end + 1;
        }

        if (literal.Length > 0)
        {
            segments.Add(new AccessLogSegment(AccessLogOperatorKind.Literal, literal.ToString()));
        }

        return [.. segments];
    }

    private static AccessLogSegment ParseOperator(string text)
    {
        var open = text.IndexOf('(', StringComparison.Ordinal);
        if (open < 0)
        {
            return new AccessLogSegment(text switch
            {
                "START_TIME" => AccessLogOperatorKind.StartTime,
                "PROTOCOL" => AccessLogOperatorKind.Protocol,
                "RESPONSE_CODE" => AccessLogOperatorKind.ResponseCode,
                "RESPONSE_FLAGS" => AccessLogOperatorKind.ResponseFlags,
                "RESPONSE_CODE_DETAILS" => AccessLogOperatorKind.ResponseCodeDetails,
                "CONNECTION_TERMINATION_DETAILS" => AccessLogOperatorKind.ConnectionTerminationDetails,
                "UPSTREAM_TRANSPORT_FAILURE_REASON" => AccessLogOperatorKind.UpstreamTransportFailureReason,
                "BYTES_RECEIVED" => AccessLogOperatorKind.BytesReceived,
                "BYTES_SENT" => AccessLogOperatorKind.BytesSent,
                "DURATION" => AccessLogOperatorKind.Duration,
                "UPSTREAM_HOST" => AccessLogOperatorKind.UpstreamHost,
                "UPSTREAM_CLUSTER" or "UPSTREAM_CLUSTER_RAW" => AccessLogOperatorKind.UpstreamCluster,
                "UPSTREAM_LOCAL_ADDRESS" => AccessLogOperatorKind.UpstreamLocalAddress,
                "DOWNSTREAM_LOCAL_ADDRESS" => AccessLogOperatorKind.DownstreamLocalAddress,
                "DOWNSTREAM_REMOTE_ADDRESS" or "DOWNSTREAM_DIRECT_REMOTE_ADDRESS" => AccessLogOperatorKind.DownstreamRemoteAddress,
                "DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT" or "DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT" => AccessLogOperatorKind.DownstreamRemoteAddressWithoutPort,
                "REQUESTED_SERVER_NAME" => AccessLogOperatorKind.RequestedServerName,
                "ROUTE_NAME" => AccessLogOperatorKind.RouteName,
                _ => throw Unsupported(text),
            });
        }

        var close = text.IndexOf(')', open);
        if (close < 0)
        {
            throw new ArgumentException($"access log format: operator '%{text}%' has no closing ')'");
        }

        var kind = text[..open] switch
        {
            "REQ" => AccessLogOperatorKind.RequestHeader,
            "RESP" => AccessLogOperatorKind.ResponseHeader,
            _ => throw Unsupported(text),
        };
        var names = text[(open + 1)..close];
        var question = names.IndexOf('?', StringComparison.Ordinal);
        var name = question < 0 ? names : names[..question];
        var alternative = question < 0 ? null : names[(question + 1)..];
        var maxLength = 0;
        var rest = text[(close + 1)..];
        if (rest.Length > 0 && (rest[0] != ':' || !int.TryParse(rest.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out maxLength) || maxLength <= 0))
        {
            throw new ArgumentException($"access log format: operator '%{text}%': expected ':' and a positive length after ')'");
        }

        if (name.Length == 0)
        {
            throw new ArgumentException($"access log format: operator '%{text}%' names no header");
        }

        return new AccessLogSegment(kind, name.ToLowerInvariant(), alternative?.ToLowerInvariant(), maxLength);
    }

    private static ArgumentException Unsupported(string text)
        => new($"access log format: unsupported command operator '%{text}%' (supported: see docs/observability.md, Access log)");
}
