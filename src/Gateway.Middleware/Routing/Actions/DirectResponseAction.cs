using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Routing.Actions;

/// <summary>A compiled direct response (Istio <c>HTTPDirectResponse</c>): status and an optional text body.</summary>
internal sealed class DirectResponseAction
{
    public DirectResponseAction(DirectResponseConfig config)
    {
        Status = config.Status;
        BodyText = config.Body ?? "";
        Body = config.Body is null ? null : System.Text.Encoding.UTF8.GetBytes(config.Body);
    }

    public int Status { get; }

    /// <summary>The body encoded once, at compile time; null when the response has none.</summary>
    public byte[]? Body { get; }

    /// <summary>The body as configured ("" when none), for the gRPC form of the answer.</summary>
    public string BodyText { get; }
}
