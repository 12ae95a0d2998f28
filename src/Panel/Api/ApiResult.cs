using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgenteVendedor.Panel.Api;

/// <summary>What an Api call gave: its value, or the problem+json it answered with.</summary>
public sealed record ApiResult<T>(T? Value, ApiProblem? Problem)
{
    public bool Ok => Problem is null;

    public static ApiResult<T> Success(T value) => new(value, null);

    public static ApiResult<T> Failure(ApiProblem problem) => new(default, problem);
}

/// <summary>An Api refusal as the panel shows it: a message, the messages per field, and per CSV row.</summary>
public sealed record ApiProblem(int Status, string Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors, IReadOnlyList<CsvRowError> Rows)
{
    /// <summary>For a refused import: how many rows were wrong in all (the Api lists the first ones in <see cref="Rows"/>).</summary>
    public int TotalErrors { get; init; }

    public string Message => Detail ?? Title;

    /// <summary>The messages for one JSON field (snake_case, as the Api names it), joined; null when the field is fine.</summary>
    public string? For(string field) =>
        Errors.TryGetValue(field, out var messages) && messages.Length > 0 ? string.Join(" ", messages) : null;

    public static ApiProblem Unreachable() => new(503, "No se pudo contactar el servidor",
        "El servidor de AgenteVendedor no respondió. Inténtalo de nuevo en un momento.", Empty, []);

    public static ApiProblem Parse(HttpStatusCode status, string body)
    {
        try
        {
            var wire = JsonSerializer.Deserialize<ProblemWire>(body, ApiJson.Options);
            if (wire is not null)
            {
                return new ApiProblem((int)status, wire.Title ?? DefaultTitle(status), wire.Detail,
                    wire.Errors ?? Empty, wire.Errores ?? []) { TotalErrors = wire.TotalErrores ?? wire.Errores?.Count ?? 0 };
            }
        }
        catch (JsonException)
        {
            // Not problem+json (a proxy's page, say): the status speaks for itself.
        }

        return new ApiProblem((int)status, DefaultTitle(status), null, Empty, []);
    }

    private static string DefaultTitle(HttpStatusCode status) => (int)status switch
    {
        401 => "Tu sesión terminó",
        403 => "Tu rol no permite esta acción",
        404 => "No encontrado",
        409 => "No se pudo completar",
        429 => "Demasiadas solicitudes; espera un momento",
        >= 500 => "El servidor tuvo un problema",
        _ => "La solicitud no es válida",
    };

    private static readonly IReadOnlyDictionary<string, string[]> Empty = new Dictionary<string, string[]>();

    private sealed record ProblemWire(
        string? Title, string? Detail, Dictionary<string, string[]>? Errors,
        [property: JsonPropertyName("errores")] List<CsvRowError>? Errores,
        [property: JsonPropertyName("total_errores")] int? TotalErrores);
}

/// <summary>One refused row of a CSV import: "Fila N, columna X: mensaje".</summary>
public sealed record CsvRowError(int Fila, string? Columna, string Mensaje)
{
    public override string ToString() =>
        Columna is { Length: > 0 } column ? $"Fila {Fila}, columna {column}: {Mensaje}" : $"Fila {Fila}: {Mensaje}";
}
