using System.Globalization;
using System.Text.RegularExpressions;

namespace Gateway.Middleware.Configuration.Yaml;

/// <summary>
/// Durations as the two APIs write them. Istio: a protobuf <c>Duration</c>, which Istio reads with Go's
/// <c>time.ParseDuration</c> (<c>1.5s</c>, <c>100ms</c>, <c>1m</c>, <c>1h30m</c>; units ns, us, ms, s, m, h).
/// Gateway API (GEP-2257): 1 to 4 integer components with units h, m, s, ms (<c>1h30m</c>, <c>500ms</c>).
/// </summary>
internal static partial class YamlDuration
{
    public static bool TryParseIstio(string text, out TimeSpan value, out string? error)
    {
        value = default;
        error = $"invalid duration '{text}': expected a number and a unit (ns, us, ms, s, m, h), e.g. 1.5s, 100ms, 1m";
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s.SequenceEqual("0"))
        {
            error = null;
            return true;
        }

        if (s.IsEmpty)
        {
            return false;
        }

        decimal nanoseconds = 0;
        while (!s.IsEmpty)
        {
            var digits = 0;
            while (digits < s.Length && (char.IsAsciiDigit(s[digits]) || s[digits] == '.'))
            {
                digits++;
            }

            if (digits == 0 || !decimal.TryParse(s[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            s = s[digits..];
            var unit = 0;
            while (unit < s.Length && !char.IsAsciiDigit(s[unit]) && s[unit] != '.')
            {
                unit++;
            }

            decimal scale = s[..unit] switch
            {
                "ns" => 1m,
                "us" or "\u00b5s" or "\u03bcs" => 1_000m,
                "ms" => 1_000_000m,
                "s" => 1_000_000_000m,
                "m" => 60_000_000_000m,
                "h" => 3_600_000_000_000m,
                _ => -1m,
            };
            if (scale < 0)
            {
                return false;
            }

            s = s[unit..];

            // Compared before multiplying: a number of 30 digits times an hour's nanoseconds overflows decimal itself
            // (found by Fuzzing/YamlLoaderFuzzTests).
            var max = (decimal)TimeSpan.MaxValue.Ticks * 100;
            if (number > (max - nanoseconds) / scale)
            {
                error = $"invalid duration '{text}': too large";
                return false;
            }

            nanoseconds += number * scale;
        }

        var ticks = (long)(nanoseconds / 100);
        value = TimeSpan.FromTicks(negative ? -ticks : ticks);
        error = null;
        return true;
    }

    public static bool TryParseGatewayApi(string text, out TimeSpan value, out string? error)
    {
        value = default;
        if (!GatewayApiDuration().IsMatch(text))
        {
            error = $"invalid duration '{text}': expected 1 to 4 integer components with units h, m, s or ms (GEP-2257), e.g. 10s, 1h30m, 500ms";
            return false;
        }

        error = null;
        foreach (Match component in GatewayApiComponent().Matches(text))
        {
            var number = long.Parse(component.Groups[1].Value, CultureInfo.InvariantCulture);
            value += component.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(number),
                "m" => TimeSpan.FromMinutes(number),
                "s" => TimeSpan.FromSeconds(number),
                _ => TimeSpan.FromMilliseconds(number),
            };
        }

        return true;
    }

    [GeneratedRegex(@"\A([0-9]{1,5}(h|m|s|ms)){1,4}\z", RegexOptions.CultureInvariant)]
    private static partial Regex GatewayApiDuration();

    [GeneratedRegex(@"([0-9]{1,5})(ms|h|m|s)", RegexOptions.CultureInvariant)]
    private static partial Regex GatewayApiComponent();
}
