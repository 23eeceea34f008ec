namespace Gateway.Middleware.Diagnostics;

/// <summary>One piece of a compiled format: literal text or an operator with its header names and length limit.</summary>
internal sealed record AccessLogSegment(AccessLogOperatorKind Kind, string Text = "", string? Alternative = null, int MaxLength = 0)
{
    /// <summary>Operators whose value is a number: written unquoted in JSON, as Envoy does.</summary>
    public bool IsNumber => Kind is AccessLogOperatorKind.ResponseCode or AccessLogOperatorKind.BytesReceived
        or AccessLogOperatorKind.BytesSent or AccessLogOperatorKind.Duration;
}
