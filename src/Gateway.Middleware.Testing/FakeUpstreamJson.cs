using System.Text.Json.Serialization;

namespace Gateway.Middleware.Testing;

[JsonSerializable(typeof(DefaultAnswer))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
internal sealed partial class FakeUpstreamJson : JsonSerializerContext;
