using Microsoft.AspNetCore.Http;

namespace Gateway.Middleware.Diagnostics;

/// <summary>Attribute values cached once, so recording a request boxes and allocates nothing.</summary>
internal static class MetricTagValues
{
    /// <summary>OpenTelemetry's value for a method outside the known set (semantic conventions, <c>http.request.method</c>).</summary>
    public const string OtherMethod = "_OTHER";

    private static readonly object[] StatusCodes = CreateStatusCodes();

    /// <summary>The boxed status code; codes outside 0-599 are boxed on demand (Kestrel refuses them anyway).</summary>
    public static object StatusCode(int status) => (uint)status < (uint)StatusCodes.Length ? StatusCodes[status] : status;

    /// <summary>The method's canonical string (one instance per method) or <c>_OTHER</c>: clients cannot mint series.</summary>
    public static string Method(string method)
    {
        if (HttpMethods.IsGet(method))
        {
            return HttpMethods.Get;
        }

        if (HttpMethods.IsPost(method))
        {
            return HttpMethods.Post;
        }

        if (HttpMethods.IsPut(method))
        {
            return HttpMethods.Put;
        }

        if (HttpMethods.IsDelete(method))
        {
            return HttpMethods.Delete;
        }

        if (HttpMethods.IsPatch(method))
        {
            return HttpMethods.Patch;
        }

        if (HttpMethods.IsHead(method))
        {
            return HttpMethods.Head;
        }

        if (HttpMethods.IsOptions(method))
        {
            return HttpMethods.Options;
        }

        if (HttpMethods.IsConnect(method))
        {
            return HttpMethods.Connect;
        }

        return HttpMethods.IsTrace(method) ? HttpMethods.Trace : OtherMethod;
    }

    private static object[] CreateStatusCodes()
    {
        var codes = new object[600];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = i;
        }

        return codes;
    }
}
