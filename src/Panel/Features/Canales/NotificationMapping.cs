using System.Text.Json;
using AgenteVendedor.Panel.Api;

namespace AgenteVendedor.Panel.Features.Canales;

/// <summary>
/// The Canales editor of notification templates: one row per event with the template chosen (or none) and its
/// parameters in order; what the Api answered becomes rows, the rows become the PUT body, and a refusal's
/// <c>evento.campo</c> errors land on their row.
/// </summary>
public sealed class NotificationMapping
{
    /// <summary>The events the Api knows, in its order, with the words staff read.</summary>
    public static readonly IReadOnlyList<(string Evento, string Nombre)> Events =
    [
        ("venta_confirmada", "Venta confirmada"), ("venta_preparando", "Venta en preparación"), ("venta_enviada", "Venta enviada"),
        ("venta_entregada", "Venta entregada"), ("venta_anulada", "Venta anulada"), ("carrito_abandonado", "Carrito abandonado"),
    ];

    public sealed class Row(string evento, string nombre)
    {
        public string Evento { get; } = evento;

        public string Nombre { get; } = nombre;

        /// <summary>"name|language" of the chosen template, or "" for none.</summary>
        public string Plantilla { get; set; } = "";

        /// <summary>The parameter names in order, as staff write them ("cliente, venta, total").</summary>
        public string Parametros { get; set; } = "";
    }

    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();

    public NotificationMapping(IReadOnlyDictionary<string, JsonElement> answer)
    {
        Rows = [.. Events.Select(e => new Row(e.Evento, e.Nombre))];
        foreach (var row in Rows)
        {
            if (answer.TryGetValue(row.Evento, out var template) && template.ValueKind == JsonValueKind.Object)
            {
                var mapped = template.Deserialize<PlantillaEvento>(ApiJson.Options)!;
                row.Plantilla = Key(mapped.Nombre, mapped.Idioma);
                row.Parametros = string.Join(", ", mapped.Parametros);
            }
        }

        Available = answer.TryGetValue("parametros_disponibles", out var names) && names.ValueKind == JsonValueKind.Array
            ? [.. names.EnumerateArray().Select(n => n.GetString() ?? "")]
            : [];
    }

    public IReadOnlyList<Row> Rows { get; }

    /// <summary>The parameter names the Api fills (cliente, empresa, venta, estado, total, productos, nota).</summary>
    public IReadOnlyList<string> Available { get; }

    public static string Key(string name, string language) => $"{name}|{language}";

    /// <summary>
    /// The templates staff may pick for a row: the account's approved ones, and the row's current choice even when the
    /// account's list could not be read (so saving without it keeps what was mapped).
    /// </summary>
    public IReadOnlyList<(string Key, string Texto)> Options(Row row, IReadOnlyList<PlantillaCuenta> account)
    {
        var options = account.Where(t => t.Estado == "APPROVED")
            .Select(t => (Key(t.Nombre, t.Idioma), $"{t.Nombre} ({t.Idioma}) · {t.Parametros} parámetro{(t.Parametros == 1 ? "" : "s")}")).ToList();
        if (row.Plantilla.Length > 0 && options.All(o => o.Item1 != row.Plantilla))
        {
            var (name, language) = Split(row.Plantilla);
            options.Insert(0, (row.Plantilla, $"{name} ({language})"));
        }

        return options;
    }

    /// <summary>The PUT body: every event, with its template or null.</summary>
    public IReadOnlyDictionary<string, PlantillaEvento?> ToRequest() => Rows.ToDictionary(r => r.Evento, r =>
    {
        if (r.Plantilla.Length == 0)
        {
            return null;
        }

        var (name, language) = Split(r.Plantilla);
        var parameters = r.Parametros.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (PlantillaEvento?)new PlantillaEvento(name, language, parameters);
    });

    public void ShowErrors(ApiProblem? problem) => _errors = problem?.Errors ?? new Dictionary<string, string[]>();

    /// <summary>The Api's message for this row: its template (nombre, idioma), its parameters, or the event as a whole.</summary>
    public string? ErrorOf(Row row, string field)
    {
        var prefix = row.Evento + ".";
        var messages = field == "parametros"
            ? _errors.Where(e => e.Key.StartsWith(prefix + "parametros", StringComparison.Ordinal)).SelectMany(e => e.Value)
            : _errors.Where(e => e.Key == row.Evento || e.Key == prefix + "nombre" || e.Key == prefix + "idioma").SelectMany(e => e.Value);
        var text = string.Join(" ", messages);
        return text.Length == 0 ? null : text;
    }

    private static (string Name, string Language) Split(string key)
    {
        var bar = key.LastIndexOf('|');
        return bar < 0 ? (key, "es") : (key[..bar], key[(bar + 1)..]);
    }
}
