using System.Text.Json;
using AgenteVendedor.Common;
using Microsoft.AspNetCore.Diagnostics;

namespace AgenteVendedor.Api.Infrastructure;

/// <summary>
/// Last line of defence: unreadable requests become 400 (or their own 4xx), an unreachable cluster
/// becomes 503, and only a real bug is a 500. Every answer is problem+json in Spanish.
/// </summary>
public sealed class ErrorHandling(IProblemDetailsService problems, ILogger<ErrorHandling> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var (status, detail) = exception switch
        {
            BadHttpRequestException bad when bad.InnerException is JsonException json =>
                (StatusCodes.Status400BadRequest, DescribeJsonError(json)),
            BadHttpRequestException bad when bad.StatusCode == StatusCodes.Status400BadRequest =>
                (StatusCodes.Status400BadRequest, DescribeBadRequest(bad)),
            BadHttpRequestException bad => (bad.StatusCode, Problems.DetailFor(bad.StatusCode)),
            SiloUnavailableException or OrleansMessageRejectionException or TimeoutException =>
                (StatusCodes.Status503ServiceUnavailable, "El servicio no está disponible en este momento. Intenta de nuevo en unos segundos."),
            DatabaseUnavailableException =>
                (StatusCodes.Status503ServiceUnavailable, "La base de datos no está disponible en este momento. Intenta de nuevo en unos segundos."),
            _ => (StatusCodes.Status500InternalServerError, "Ocurrió un error interno. Ya quedó registrado; intenta de nuevo más tarde."),
        };

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            // Expected while a silo or the database is away: one line, not a stack trace per request.
            logger.LogWarning("Request {Method} {Path} answered 503: {Reason}", http.Request.Method, http.Request.Path, exception.Message);
        }
        else if (status >= 500)
        {
            logger.LogError(exception, "Request {Method} {Path} failed", http.Request.Method, http.Request.Path);
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            http.Response.Headers.RetryAfter = "5";
        }

        http.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = { Status = status, Title = Problems.TitleFor(status), Detail = detail },
        });
    }

    private static string DescribeJsonError(JsonException json) =>
        json.Path is { Length: > 1 } path
            ? $"El cuerpo no es JSON válido o el campo '{path.TrimStart('$', '.')}' tiene un tipo incorrecto."
            : "El cuerpo no es JSON válido.";

    private static string DescribeBadRequest(BadHttpRequestException bad) =>
        bad.Message.Contains("body was not provided", StringComparison.OrdinalIgnoreCase)
        || bad.Message.Contains("Implicit body", StringComparison.OrdinalIgnoreCase)
            ? "Falta el cuerpo JSON de la solicitud."
            : bad.Message.StartsWith("Failed to bind parameter", StringComparison.Ordinal)
                ? $"Un parámetro de la ruta o de la consulta tiene un valor con formato incorrecto ({ParameterName(bad.Message)})."
                : "La solicitud está mal formada.";

    private static string ParameterName(string message)
    {
        // "Failed to bind parameter "int? pagina" from "abc"." → pagina
        var start = message.IndexOf('"') + 1;
        var end = start > 0 ? message.IndexOf('"', start) : -1;
        return end > start ? message[start..end].Split(' ').Last() : "desconocido";
    }
}
