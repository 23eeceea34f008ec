using Gateway.Middleware.Configuration.Sources;

namespace Gateway.Middleware.Tests.Configuration;

public sealed class YamlConfigSourceTests
{
    [Fact]
    public void Load_AuthorizationPolicy_EnforcedWithoutNotEnforcedWarning()
    {
        var folder = Directory.CreateTempSubdirectory("gw-policy-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "deny.yaml"), """
                apiVersion: security.istio.io/v1
                kind: AuthorizationPolicy
                metadata: {name: deny-all, namespace: default}
                spec:
                  action: DENY
                  rules:
                  - {}
                """);
            using var source = new YamlConfigSource(folder.FullName, watch: false);

            var result = source.Load();

            Assert.Empty(result.Errors);
            Assert.DoesNotContain(result.Warnings, w => w.Contains("NOT enforced", StringComparison.Ordinal));
            Assert.Equal("default/deny-all", Assert.Single(result.Config.AuthorizationPolicies).Name);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
