using System.Globalization;
using System.Text;

namespace AgenteVendedor.Panel.Api;

/// <summary>Builds a path with its query string, leaving out the parameters that have no value.</summary>
public sealed class Query(string path)
{
    private readonly StringBuilder _text = new(path);
    private bool _first = !path.Contains('?', StringComparison.Ordinal);

    public Query Add(string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            _text.Append(_first ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value.Trim()));
            _first = false;
        }

        return this;
    }

    public Query Add(string name, int? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

    public Query Add(string name, bool? value) => Add(name, value is null ? null : value.Value ? "true" : "false");

    public Query Add(string name, Guid? value) => Add(name, value?.ToString());

    public Query Add(string name, DateOnly? value) => Add(name, value?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    public override string ToString() => _text.ToString();

    public static implicit operator string(Query query) => query.ToString();
}
