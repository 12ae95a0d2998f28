using AgenteVendedor.Common;

namespace AgenteVendedor.Api.Infrastructure;

/// <summary>Turns grain outcomes and validation failures into RFC 7807 answers in Spanish.</summary>
public static class Problems
{
    /// <summary>The answer to a refusal; one that says when to try again carries Retry-After, wherever it is returned from.</summary>
    public static IResult From(Problem problem)
    {
        var answer = Answer(problem);
        return problem.RetryAfterSeconds is { } seconds ? new WithRetryAfter(answer, seconds) : answer;
    }

    private static IResult Answer(Problem problem)
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
            return TypedResults.Problem(detail: problem.Message, statusCode: status, title: TitleFor(status),
                extensions: new Dictionary<string, object?> { ["producto_id"] = shortage.ProductId, ["disponible"] = shortage.Available });
        }

        return TypedResults.Problem(detail: problem.Message, statusCode: status, title: TitleFor(status));
    }

    private sealed class WithRetryAfter(IResult inner, int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }

    public static IResult BadRequest(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: TitleFor(StatusCodes.Status400BadRequest));

    public static IResult Invalid(Dictionary<string, string[]> errors) =>
        WithErrors(StatusCodes.Status422UnprocessableEntity, "Corrige los campos indicados y vuelve a intentarlo.", errors);

    private static IResult WithErrors(int status, string detail, Dictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors) { Status = status, Title = TitleFor(status), Detail = detail });

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: TitleFor(StatusCodes.Status404NotFound));

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
