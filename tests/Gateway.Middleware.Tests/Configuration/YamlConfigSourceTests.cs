using Gateway.Middleware.Configuration.Sources;

namespace Gateway.Middleware.Tests.Configuration;

public sealed class YamlConfigSourceTests
{
    [Fact]
    public void Load_SecurityPolicies_WarnThatTheyAreNotEnforced()
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
            Assert.Contains(result.Warnings, w => w.Contains("1 RequestAuthentication/AuthorizationPolicy resource(s) are checked but NOT enforced yet", StringComparison.Ordinal));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
