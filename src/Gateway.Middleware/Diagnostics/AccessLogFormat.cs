using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Gateway.Middleware.Diagnostics;

/// <summary>A format compiled once at start: text segments, or JSON keys each with its segments.</summary>
internal sealed partial class AccessLogFormat
{
    // Istio's default JSON keys (accessLogEncoding: JSON with no accessLogFormat).
    private const string IstioJson = """
        {"start_time":"%START_TIME%","method":"%REQ(:METHOD)%","path":"%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%","protocol":"%PROTOCOL%",
        "response_code":"%RESPONSE_CODE%","response_flags":"%RESPONSE_FLAGS%","response_code_details":"%RESPONSE_CODE_DETAILS%",
        "connection_termination_details":"%CONNECTION_TERMINATION_DETAILS%","upstream_transport_failure_reason":"%UPSTREAM_TRANSPORT_FAILURE_REASON%",
        "bytes_received":"%BYTES_RECEIVED%","bytes_sent":"%BYTES_SENT%","duration":"%DURATION%",
        "upstream_service_time":"%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%","x_forwarded_for":"%REQ(X-FORWARDED-FOR)%","user_agent":"%REQ(USER-AGENT)%",
        "request_id":"%REQ(X-REQUEST-ID)%","authority":"%REQ(:AUTHORITY)%","upstream_host":"%UPSTREAM_HOST%","upstream_cluster":"%UPSTREAM_CLUSTER%",
        "upstream_local_address":"%UPSTREAM_LOCAL_ADDRESS%","downstream_local_address":"%DOWNSTREAM_LOCAL_ADDRESS%",
        "downstream_remote_address":"%DOWNSTREAM_REMOTE_ADDRESS%","requested_server_name":"%REQUESTED_SERVER_NAME%","route_name":"%ROUTE_NAME%"}
        """;

    private readonly AccessLogSegment[] _text;
    private readonly (string Key, AccessLogSegment[] Segments)[] _json;

    private AccessLogFormat(AccessLogSegment[] text, (string, AccessLogSegment[])[] json)
    {
        _text = text;
        _json = json;
    }

    public bool IsJson => _json.Length > 0;

    /// <summary>Envoy's default text format: logged with each field as a structured property (event 600).</summary>
    public bool IsDefault { get; private init; }

    /// <summary>Compiles the options; throws <see cref="ArgumentException"/> naming the first bad operator or JSON error.</summary>
    public static AccessLogFormat Compile(GatewayAccessLogOptions options)
    {
        if (options.Encoding == GatewayAccessLogEncoding.Text)
        {
            return new AccessLogFormat(Parse(options.Format ?? GatewayAccessLogOptions.EnvoyFormat), [])
            {
                IsDefault = options.Format is null || options.Format == GatewayAccessLogOptions.EnvoyFormat,
            };
        }

        var json = options.Format ?? IstioJson;
        var keys = new List<(string, AccessLogSegment[])>();
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException("access log: a JSON format must be a JSON object of key: \"%OPERATOR%\"", nameof(options));
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    throw new ArgumentException($"access log: JSON format key '{property.Name}' must be a string", nameof(options));
                }

                keys.Add((property.Name, Parse(property.Value.GetString()!)));
            }
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"access log: the JSON format is not valid JSON: {ex.Message}", nameof(options), ex);
        }

        return new AccessLogFormat([], [.. keys]);
    }

    // One builder and one JSON writer per thread, reused: an entry allocates its values and its final string only.
    [ThreadStatic]
    private static StringBuilder? t_builder;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public string Render(in AccessLogRecord record)
    {
        if (!IsJson)
        {
            var builder = t_builder ??= new StringBuilder(512);
            builder.Clear();
            foreach (var segment in _text)
            {
                builder.Append(segment.Kind == AccessLogOperatorKind.Literal ? segment.Text : record.Value(segment));
            }

            return builder.ToString();
        }

        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        {
            writer.WriteStartObject();
            foreach (var (key, segments) in _json)
            {
                if (segments.Length == 1 && segments[0].Kind != AccessLogOperatorKind.Literal)
                {
                    var value = record.Value(segments[0]);
                    if (value == AccessLogRecord.Empty && segments[0].Kind != AccessLogOperatorKind.ResponseFlags)
                    {
                        // Envoy writes null for an operator without a value in JSON; "no flags" is the string "-".
                        writer.WriteNull(key);
                    }
                    else if (segments[0].IsNumber && long.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number))
                    {
                        writer.WriteNumber(key, number);
                    }
                    else
                    {
                        writer.WriteString(key, value);
                    }

                    continue;
                }

                var builder = t_builder ??= new StringBuilder(512);
                builder.Clear();
                foreach (var segment in segments)
                {
                    builder.Append(segment.Kind == AccessLogOperatorKind.Literal ? segment.Text : record.Value(segment));
                }

                writer.WriteString(key, builder.ToString());
            }

            writer.WriteEndObject();
            writer.Flush();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
