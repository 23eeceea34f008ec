using Gateway.Middleware.Configuration.Yaml;

namespace Gateway.Middleware.Tests.Configuration.Yaml;

/// <summary>Loading a file or a folder: <c>*.yaml</c> and <c>*.yml</c> files in name order, several documents each.</summary>
public sealed class IstioYamlFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("gateway-yaml-").FullName;

    [Fact]
    public void LoadPath_Folder_YamlAndYmlFilesInNameOrderOthersIgnored()
    {
        File.WriteAllText(Path.Combine(_folder, "20-routes.yml"), Yaml.Gateway() + "\n---\n" + """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: vs}
            spec: {hosts: ["*"], gateways: [gw], http: [{route: [{destination: {host: a}}]}]}
            """);
        File.WriteAllText(Path.Combine(_folder, "10-services.yaml"), Yaml.Service("a"));
        File.WriteAllText(Path.Combine(_folder, "notes.txt"), "not: yaml: at: all: [");

        var files = IstioYaml.ReadPath(_folder);
        var result = IstioYaml.LoadPath(_folder);

        Assert.Equal(["10-services.yaml", "20-routes.yml"], files.Select(f => f.Path));
        Assert.Empty(result.Errors);
        Assert.Equal("a.default.svc.cluster.local", Assert.Single(Assert.Single(result.Config.Routes).Destinations).Upstream);
        Assert.Empty(Assert.Single(result.Config.Upstreams).Subsets);
    }

    [Fact]
    public void LoadPath_File_MessagesNameThePathAsGiven()
    {
        var path = Path.Combine(_folder, "bad.yaml");
        File.WriteAllText(path, "apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata: {name: gw}\nspec: {servers: [{port: {number: 80, protocol: HTTP}, hosts: [a], bind: 1.2.3.4, extra: 1}]}");

        Assert.Equal([$"{path}#1 Gateway default/gw: spec.servers[0].extra: unknown field"], IstioYaml.LoadPath(path).Errors);
    }

    [Fact]
    public void ReadPath_Missing_Throws() => Assert.Throws<FileNotFoundException>(() => IstioYaml.ReadPath(Path.Combine(_folder, "missing")));

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
