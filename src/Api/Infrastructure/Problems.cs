using AgenteVendedor.Api.Contracts;
using AgenteVendedor.Common;
using Microsoft.AspNetCore.Mvc;

namespace AgenteVendedor.Api.Infrastructure;

/// <summary>Turns grain outcomes and validation failures into RFC 7807 answers in Spanish.</summary>
public static class Problems
{
    /// <summary>The answer to a refusal; one that says when to try again carries Retry-After, wherever it is returned from.</summary>
    public static ProblemAnswer From(Problem problem) => new(Details(problem), problem.RetryAfterSeconds);

    private static ProblemDetails Details(Problem problem)
    {
        var status = problem.Kind switch
        {
            ProblemKind.Validation => StatusCodes.Status422UnprocessableEntity,
            ProblemKind.NotFound => StatusCodes.Status404NotFound,
            ProblemKind.Conflict => StatusCodes.Status409Conflict,
            ProblemKind.Forbidden => StatusCodes.Status403Forbidden,
            ProblemKind.Unauthorized => StatusCodes.Status401Unauthorized,
            ProblemKind.TooManyRequests => StatusCodes.Status429TooManyRequests,
            ProblemKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status400BadRequest,
        };
        if (problem.Errors is { Length: > 0 } errors)
        {
            var byField = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
            return WithErrors(status, problem.Message, byField);
        }

        if (problem.Shortage is { } shortage)
        {
            // API.md: an order short of stock answers 409 {producto_id, disponible}.
            return new StockInsuficienteProblem
            {
                Status = status, Title = TitleFor(status), Detail = problem.Message,
                ProductoId = shortage.ProductId, Disponible = shortage.Available,
            };
        }

        return Plain(status, problem.Message);
    }

    /// <summary>A problem with only a status and what to do about it, in Spanish.</summary>
    public static ProblemAnswer Status(int status, string detail, int? retryAfterSeconds = null) =>
        new(Plain(status, detail), retryAfterSeconds);

    public static ProblemAnswer BadRequest(string detail) => Status(StatusCodes.Status400BadRequest, detail);

    public static ProblemAnswer Invalid(Dictionary<string, string[]> errors) =>
        new(WithErrors(StatusCodes.Status422UnprocessableEntity, "Corrige los campos indicados y vuelve a intentarlo.", errors));

    public static ProblemAnswer NotFound(string detail) => Status(StatusCodes.Status404NotFound, detail);

    private static ProblemDetails Plain(int status, string detail) => new() { Status = status, Title = TitleFor(status), Detail = detail };

    private static HttpValidationProblemDetails WithErrors(int status, string detail, Dictionary<string, string[]> errors) =>
        new(errors) { Status = status, Title = TitleFor(status), Detail = detail };

    public static string TitleFor(int status) => status switch
    {
        400 => "Solicitud mal formada",
        401 => "No autenticado",
        403 => "Acción no permitida para tu rol",
        404 => "No encontrado",
        405 => "Método no permitido",
        409 => "Conflicto",
        413 => "Solicitud demasiado grande",
        415 => "Tipo de contenido no admitido",
        422 => "Datos inválidos",
        429 => "Demasiadas solicitudes",
        503 => "Servicio no disponible",
        _ => "Error",
    };

    public static string DetailFor(int status) => status switch
    {
        401 => "Falta el token de acceso o no es válido. Inicia sesión en /auth/login y envía 'Authorization: Bearer <token>'.",
        403 => "Tu rol no permite esta acción.",
        404 => "El recurso no existe.",
        405 => "Esta ruta no admite ese método HTTP.",
        413 => "El cuerpo de la solicitud supera el tamaño permitido.",
        415 => "Envía el cuerpo como 'application/json'.",
        429 => "Has hecho demasiadas solicitudes. Espera un momento y vuelve a intentarlo.",
        _ => "La solicitud no se pudo procesar.",
    };
}
