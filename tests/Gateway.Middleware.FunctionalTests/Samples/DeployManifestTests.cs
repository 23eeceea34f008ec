using System.Text.RegularExpressions;
using Gateway.Middleware.Configuration.Yaml;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using IstioGateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using YamlDotNet.RepresentationModel;

namespace Gateway.Middleware.FunctionalTests.Samples;

/// <summary>
/// samples/IstioGateway/deploy: the Kubernetes manifests parse, hang together (labels, ports, mounts, names) and
/// carry the gateway a configuration the host accepts. Docker and a cluster are not needed: the manifests are
/// read with YamlDotNet and the ConfigMap's files are loaded by the host itself.
/// </summary>
public sealed partial class DeployManifestTests : IDisposable
{
    private static readonly string Deploy = Path.Combine(RepositoryRoot(), "samples", "IstioGateway", "deploy");
    private readonly string _temp = Directory.CreateTempSubdirectory("gw-deploy-").FullName;
    private readonly List<YamlMappingNode> _documents = LoadManifests();

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void Manifests_EveryDocument_HasApiVersionKindAndName()
    {
        Assert.NotEmpty(_documents);
        foreach (var document in _documents)
        {
            Assert.False(string.IsNullOrEmpty(Scalar(document, "apiVersion")), "a document without apiVersion");
            Assert.False(string.IsNullOrEmpty(Scalar(document, "kind")), "a document without kind");
            Assert.False(string.IsNullOrEmpty(Scalar(document, "metadata", "name")), $"a {Scalar(document, "kind")} without metadata.name");
        }
    }

    [Fact]
    public void Kustomization_ListsEveryManifest()
    {
        var kustomization = LoadDocuments(Path.Combine(Deploy, "kustomization.yaml")).Single();
        var listed = Sequence(kustomization, "resources").Select(n => ((YamlScalarNode)n).Value!).Order(StringComparer.Ordinal).ToList();
        var files = ManifestFiles().Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(files, listed);
    }

    [Fact]
    public void Deployment_AtLeastTwoReplicas_ReadinessOnStatusPort()
    {
        var deployment = Single("Deployment");
        var container = Container(deployment);
        var args = Args(container);

        Assert.True(int.Parse(Scalar(deployment, "spec", "replicas")!, System.Globalization.CultureInfo.InvariantCulture) >= 2);
        Assert.Equal("/healthz/ready", Scalar(container, "readinessProbe", "httpGet", "path"));
        Assert.Equal("/healthz/live", Scalar(container, "livenessProbe", "httpGet", "path"));
        var statusPort = args["--status-port"];
        Assert.Equal(statusPort, ContainerPort(container, Scalar(container, "readinessProbe", "httpGet", "port")!));
        Assert.Equal(statusPort, ContainerPort(container, Scalar(container, "livenessProbe", "httpGet", "port")!));
        Assert.Equal(Scalar(deployment, "spec", "selector", "matchLabels", "istio"), Scalar(deployment, "spec", "template", "metadata", "labels", "istio"));
        Assert.Equal("true", Scalar(container, "securityContext", "readOnlyRootFilesystem"));
        Assert.Equal("false", Scalar(container, "securityContext", "allowPrivilegeEscalation"));
        Assert.Equal("true", Scalar(deployment, "spec", "template", "spec", "securityContext", "runAsNonRoot"));
        Assert.NotNull(Scalar(container, "resources", "requests", "cpu"));
        Assert.NotNull(Scalar(container, "resources", "limits", "memory"));
    }

    /// <summary>A ConfigMap update reaches the pod only through a folder mount (a subPath mount is never updated).</summary>
    [Fact]
    public void Deployment_ConfigMapMountedAsAFolderWhereConfigPoints()
    {
        var deployment = Single("Deployment");
        var configMap = Single("ConfigMap");
        var container = Container(deployment);
        var volume = Sequence(deployment, "spec", "template", "spec", "volumes").Cast<YamlMappingNode>()
            .Single(v => Scalar(v, "configMap", "name") == Scalar(configMap, "metadata", "name"));
        var mount = Sequence(container, "volumeMounts").Cast<YamlMappingNode>().Single(m => Scalar(m, "name") == Scalar(volume, "name"));

        Assert.Equal(Args(container)["--config"], Scalar(mount, "mountPath"));
        Assert.Null(Scalar(mount, "subPath"));
        Assert.Equal(Scalar(deployment, "metadata", "namespace"), Scalar(configMap, "metadata", "namespace"));
    }

    /// <summary>Each credentialName is mounted where --secrets resolves it: &lt;secrets&gt;/&lt;Gateway namespace&gt;/&lt;name&gt;.</summary>
    [Fact]
    public void Deployment_EveryCredentialNameMountedUnderSecrets()
    {
        var deployment = Single("Deployment");
        var container = Container(deployment);
        var secrets = Args(container)["--secrets"];
        var volumes = Sequence(deployment, "spec", "template", "spec", "volumes").Cast<YamlMappingNode>().ToList();
        var mounts = Sequence(container, "volumeMounts").Cast<YamlMappingNode>().ToList();
        var credentials = ConfigFiles().SelectMany(f => LoadDocumentsFromText(f.Text))
            .Where(d => Scalar(d, "kind") == "Gateway")
            .SelectMany(g => Sequence(g, "spec", "servers").Cast<YamlMappingNode>()
                .Select(s => Scalar(s, "tls", "credentialName"))
                .Where(c => c is not null)
                .Select(c => (Namespace: Scalar(g, "metadata", "namespace") ?? "default", Name: c!)))
            .ToList();

        Assert.NotEmpty(credentials);
        foreach (var (ns, name) in credentials)
        {
            var mount = mounts.SingleOrDefault(m => Scalar(m, "mountPath") == $"{secrets}/{ns}/{name}");
            Assert.True(mount is not null, $"no volume mounted at {secrets}/{ns}/{name}");
            var volume = volumes.Single(v => Scalar(v, "name") == Scalar(mount!, "name"));
            Assert.Equal(name, Scalar(volume, "secret", "secretName"));
        }
    }

    /// <summary>The Service of the seed notes, as Istio installs it.</summary>
    [Fact]
    public void Service_LoadBalancer_80To8080And443To8443_SelectsThePods()
    {
        var service = Single("Service");
        var deployment = Single("Deployment");
        var container = Container(deployment);

        Assert.Equal("istio-ingressgateway", Scalar(service, "metadata", "name"));
        Assert.Equal("istio-system", Scalar(service, "metadata", "namespace"));
        Assert.Equal("LoadBalancer", Scalar(service, "spec", "type"));
        var ports = Sequence(service, "spec", "ports").Cast<YamlMappingNode>()
            .Select(p => (Scalar(p, "name"), Scalar(p, "port"), Scalar(p, "targetPort")))
            .ToList();
        Assert.Equal([("http2", "80", "8080"), ("https", "443", "8443")], ports);
        foreach (var (_, _, target) in ports)
        {
            Assert.Equal(target, ContainerPort(container, target!));
        }

        var selector = (YamlMappingNode)Node(service, "spec", "selector")!;
        Assert.Equal("ingressgateway", Scalar(selector, "istio"));
        var podLabels = (YamlMappingNode)Node(deployment, "spec", "template", "metadata", "labels")!;
        foreach (var (key, value) in selector.Children)
        {
            Assert.Equal(((YamlScalarNode)value).Value, Scalar(podLabels, ((YamlScalarNode)key).Value!));
        }
    }

    [Fact]
    public void DisruptionBudgetAndAutoscaler_TargetTheDeployment()
    {
        var deployment = Single("Deployment");
        var pdb = Single("PodDisruptionBudget");
        var hpa = Single("HorizontalPodAutoscaler");
        var podLabels = (YamlMappingNode)Node(deployment, "spec", "template", "metadata", "labels")!;

        foreach (var (key, value) in ((YamlMappingNode)Node(pdb, "spec", "selector", "matchLabels")!).Children)
        {
            Assert.Equal(((YamlScalarNode)value).Value, Scalar(podLabels, ((YamlScalarNode)key).Value!));
        }

        Assert.Equal("Deployment", Scalar(hpa, "spec", "scaleTargetRef", "kind"));
        Assert.Equal(Scalar(deployment, "metadata", "name"), Scalar(hpa, "spec", "scaleTargetRef", "name"));
        Assert.True(int.Parse(Scalar(hpa, "spec", "minReplicas")!, System.Globalization.CultureInfo.InvariantCulture) >= 2);
    }

    /// <summary>
    /// The ConfigMap's files, written out as the kubelet mounts them and given to the host as the Deployment does
    /// (with the TLS secret minted in place of the cluster's): the YAML loads with no error or warning and the host
    /// builds, listening on exactly the ports the Deployment declares.
    /// </summary>
    [Fact]
    public async Task ConfigMap_ConfigIsValidForTheHost()
    {
        var config = Path.Combine(_temp, "config");
        Directory.CreateDirectory(config);
        foreach (var (name, text) in ConfigFiles())
        {
            await File.WriteAllTextAsync(Path.Combine(config, name), text);
        }

        var load = IstioYaml.LoadPath(config);
        Assert.Empty(load.Errors);
        Assert.Empty(load.Warnings);

        var container = Container(Single("Deployment"));
        var secrets = Path.Combine(_temp, "secrets");
        using var ca = TestCertificates.CreateCa("deploy test CA");
        using var leaf = TestCertificates.CreateLeaf(ca, "bookinfo.example.com", ["bookinfo.example.com"]);
        var secret = Path.Combine(secrets, "istio-system", "bookinfo-credential");
        var (certificate, key) = TestCertificates.WritePem(leaf, secret, "tls");
        Assert.Equal(Path.Combine(secret, "tls.crt"), certificate);
        Assert.Equal(Path.Combine(secret, "tls.key"), key);

        await using var host = await IstioGatewayHost.BuildAsync(["--config", config, "--secrets", secrets, "--address", "127.0.0.1", "--status-port", "0"], Quiet);

        var declared = Sequence(container, "ports").Cast<YamlMappingNode>()
            .Where(p => Scalar(p, "name") != "status-port")
            .Select(p => int.Parse(Scalar(p, "containerPort")!, System.Globalization.CultureInfo.InvariantCulture))
            .Order()
            .ToList();
        Assert.Equal(declared, host.GatewayPorts.Order().ToList());
    }

    /// <summary>The Dockerfile copies files that exist and exposes the ports the Deployment uses.</summary>
    [Fact]
    public void Dockerfile_CopiesExistingFilesAndExposesTheDeploymentsPorts()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Deploy, "Dockerfile"));
        var root = RepositoryRoot();
        var copies = CopyInstruction().Matches(dockerfile);
        Assert.NotEmpty(copies);
        foreach (Match copy in copies)
        {
            var parts = copy.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var source in parts[..^1])
            {
                var path = Path.Combine(root, source);
                Assert.True(File.Exists(path) || Directory.Exists(path), $"Dockerfile: COPY {source}: not in the repository");
            }
        }

        var exposed = ExposeInstruction().Match(dockerfile).Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var container = Container(Single("Deployment"));
        var ports = Sequence(container, "ports").Cast<YamlMappingNode>().Select(p => Scalar(p, "containerPort")).ToList();
        Assert.Equal(ports.Order(StringComparer.Ordinal), exposed.Order(StringComparer.Ordinal));
        Assert.Contains("\"IstioGateway.dll\"", dockerfile, StringComparison.Ordinal);
    }

    private static void Quiet(WebApplicationBuilder builder) => builder.Logging.ClearProviders();

    private YamlMappingNode Single(string kind) => Assert.Single(_documents, d => Scalar(d, "kind") == kind);

    private IEnumerable<(string Name, string Text)> ConfigFiles()
    {
        var data = (YamlMappingNode)Node(Single("ConfigMap"), "data")!;
        return data.Children.Select(c => (((YamlScalarNode)c.Key).Value!, ((YamlScalarNode)c.Value).Value!));
    }

    private static YamlMappingNode Container(YamlMappingNode deployment)
        => (YamlMappingNode)Assert.Single(Sequence(deployment, "spec", "template", "spec", "containers"));

    /// <summary>The container's <c>--name value</c> arguments.</summary>
    private static Dictionary<string, string> Args(YamlMappingNode container)
    {
        var args = Sequence(container, "args").Select(a => ((YamlScalarNode)a).Value!).ToList();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            result[args[i]] = args[i + 1];
        }

        return result;
    }

    /// <summary>The container port a probe or Service port names, by name or number; null when the container has none.</summary>
    private static string? ContainerPort(YamlMappingNode container, string nameOrNumber)
        => Sequence(container, "ports").Cast<YamlMappingNode>()
            .Where(p => Scalar(p, "name") == nameOrNumber || Scalar(p, "containerPort") == nameOrNumber)
            .Select(p => Scalar(p, "containerPort"))
            .SingleOrDefault();

    private static YamlNode? Node(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out node!))
            {
                return null;
            }
        }

        return node;
    }

    private static string? Scalar(YamlNode node, params string[] path) => (Node(node, path) as YamlScalarNode)?.Value;

    private static IEnumerable<YamlNode> Sequence(YamlNode node, params string[] path)
        => (Node(node, path) as YamlSequenceNode)?.Children ?? [];

    private static IEnumerable<string> ManifestFiles()
        => Directory.EnumerateFiles(Deploy, "*.yaml").Where(f => Path.GetFileName(f) != "kustomization.yaml");

    private static List<YamlMappingNode> LoadManifests() => [.. ManifestFiles().SelectMany(LoadDocuments)];

    private static IEnumerable<YamlMappingNode> LoadDocuments(string path) => LoadDocumentsFromText(File.ReadAllText(path));

    private static List<YamlMappingNode> LoadDocumentsFromText(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return [.. stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()];
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Gateway.Middleware.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Gateway.Middleware.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^COPY (?!--from)(.+)$", RegexOptions.Multiline)]
    private static partial Regex CopyInstruction();

    [GeneratedRegex(@"^EXPOSE (.+)$", RegexOptions.Multiline)]
    private static partial Regex ExposeInstruction();
}
