namespace Gateway.Middleware.Configuration.Yaml.Schema;

/// <summary>The envelope every resource shares: <c>apiVersion</c>, <c>kind</c>, Kubernetes <c>ObjectMeta</c>, <c>status</c>.</summary>
internal static class KubernetesSchemas
{
    /// <summary>Kubernetes <c>ObjectMeta</c>; the loader reads name, namespace, labels and creationTimestamp.</summary>
    public static readonly ObjectShape Metadata = YamlShape.Object(
        ("name", YamlShape.String),
        ("namespace", YamlShape.String),
        ("labels", YamlShape.StringMap),
        ("annotations", YamlShape.StringMap),
        ("creationTimestamp", YamlShape.String),
        ("generateName", YamlShape.String),
        ("uid", YamlShape.String),
        ("resourceVersion", YamlShape.String),
        ("generation", YamlShape.Int),
        ("deletionTimestamp", YamlShape.String),
        ("deletionGracePeriodSeconds", YamlShape.Int),
        ("finalizers", YamlShape.StringList),
        ("ownerReferences", YamlShape.Any),
        ("managedFields", YamlShape.Any),
        ("selfLink", YamlShape.String));

    public static readonly ObjectShape LabelSelector = YamlShape.Object(
        ("matchLabels", YamlShape.StringMap),
        ("matchExpressions", YamlShape.List(YamlShape.Object(
            ("key", YamlShape.String),
            ("operator", YamlShape.Enum("In", "NotIn", "Exists", "DoesNotExist")),
            ("values", YamlShape.StringList)))));
}
