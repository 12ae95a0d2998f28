using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace AgenteVendedor.Api.Infrastructure;

/// <summary>
/// What the OpenAPI document (/openapi/v1.json) lists for each route besides its success, which the handler's typed
/// result gives: the problems its handler returns, declared on the route with <see cref="ProducesProblems"/>, and the
/// ones the pipeline returns for any route (401, 403, 429, 413, 400/415 for a JSON body, 503), derived once from the
/// route's metadata by <see cref="WithCommonProblems"/>. Every problem is application/problem+json with a Spanish
/// description (<see cref="DescribeAnswers"/> writes them into the document).
/// </summary>
public static class OpenApiAnswers
{
    public const string ProblemJson = "application/problem+json";

    public const string BearerScheme = "Bearer";

    /// <summary>Problems the handler itself returns, each with the schema and the Spanish description of its status.</summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder route, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            route.Add(endpoint => Declare(endpoint, status, SchemaOf(status), DescriptionOf(status), replace: true));
        }

        return route;
    }

    /// <summary>A problem with a body of its own (<typeparamref name="TProblem"/>) or a description particular to the route.</summary>
    public static RouteHandlerBuilder ProducesProblem<TProblem>(this RouteHandlerBuilder route, int status, string description)
        where TProblem : ProblemDetails
    {
        route.Add(endpoint => Declare(endpoint, status, typeof(TProblem), description, replace: true));
        return route;
    }

    /// <summary>A problem a filter of the route returns (the Idempotency-Key's); a description the route gives for the status wins.</summary>
    public static RouteHandlerBuilder ProducesProblemByDefault(this RouteHandlerBuilder route, int status, string description)
    {
        route.Add(endpoint => Declare(endpoint, status, SchemaOf(status), description, replace: false));
        return route;
    }

    /// <summary>
    /// The answers no handler writes: 401 without a valid token, 403 where the route's policy leaves a role out, 429 where
    /// a rate limit applies, 413 where the body has a size limit, 400 and 415 for a JSON body that cannot be read, and 503
    /// while the cluster or the database is away (<see cref="ErrorHandling"/>). A route that describes a status keeps its own.
    /// </summary>
    public static TBuilder WithCommonProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            var metadata = endpoint.Metadata;
            if (!metadata.OfType<IAllowAnonymous>().Any())
            {
                Declare(endpoint, StatusCodes.Status401Unauthorized, typeof(ProblemDetails), DescriptionOf(401), replace: false);
                if (metadata.OfType<IAuthorizeData>().Any(a => Policies.RefusesSomeRole(a.Policy)))
                {
                    Declare(endpoint, StatusCodes.Status403Forbidden, typeof(ProblemDetails), DescriptionOf(403), replace: false);
                }
            }

            if (metadata.OfType<EnableRateLimitingAttribute>().Any())
            {
                Declare(endpoint, StatusCodes.Status429TooManyRequests, typeof(ProblemDetails), DescriptionOf(429), replace: false);
            }

            if (metadata.OfType<IRequestSizeLimitMetadata>().Any())
            {
                Declare(endpoint, StatusCodes.Status413PayloadTooLarge, typeof(ProblemDetails), DescriptionOf(413), replace: false);
            }

            if (metadata.OfType<IAcceptsMetadata>().Any(a => a.RequestType is not null && a.ContentTypes.Contains("application/json")))
            {
                Declare(endpoint, StatusCodes.Status400BadRequest, typeof(ProblemDetails), DescriptionOf(400), replace: false);
                Declare(endpoint, StatusCodes.Status415UnsupportedMediaType, typeof(ProblemDetails), DescriptionOf(415), replace: false);
            }

            Declare(endpoint, StatusCodes.Status503ServiceUnavailable, typeof(ProblemDetails), DescriptionOf(503), replace: false);
        });
        return builder;
    }

    /// <summary>
    /// The document's side of it: the bearer scheme, named by every operation that needs a token; each answer's Spanish
    /// description from the route's metadata (the generator writes the English reason phrase); answers in status order.
    /// </summary>
    public static void DescribeAnswers(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "El access_token de POST /auth/login o /auth/registro, en 'Authorization: Bearer <token>'.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (!metadata.OfType<IAllowAnonymous>().Any())
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
            }

            if (operation.Responses is not { Count: > 0 } responses)
            {
                return Task.CompletedTask;
            }

            var ordered = new OpenApiResponses();
            foreach (var (status, response) in responses.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                if (response is OpenApiResponse described && int.TryParse(status, out var code))
                {
                    described.Description = metadata.OfType<ProducesResponseTypeMetadata>().LastOrDefault(m => m.StatusCode == code)?.Description
                        ?? SuccessDescriptionOf(code) ?? described.Description;
                }

                ordered[status] = response;
            }

            operation.Responses = ordered;
            return Task.CompletedTask;
        });
    }

    private static void Declare(EndpointBuilder endpoint, int status, Type schema, string description, bool replace)
    {
        var declared = endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Where(m => m.StatusCode == status).ToList();
        if (declared.Count > 0 && !replace)
        {
            return;
        }

        foreach (var old in declared)
        {
            endpoint.Metadata.Remove(old);
        }

        endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, schema, [ProblemJson]) { Description = description });
    }

    // 409 and 422 may name the fields at fault (errors), as Problems writes them.
    private static Type SchemaOf(int status) => status is StatusCodes.Status409Conflict or StatusCodes.Status422UnprocessableEntity
        ? typeof(HttpValidationProblemDetails)
        : typeof(ProblemDetails);

    private static string? SuccessDescriptionOf(int status) => status switch
    {
        200 => "Correcto.",
        201 => "Creado; la cabecera Location da su dirección.",
        204 => "Hecho; sin contenido.",
        _ => null,
    };

    private static string DescriptionOf(int status) => status switch
    {
        400 => "Solicitud mal formada: el cuerpo no es JSON válido o un campo tiene otro tipo, o un parámetro de la consulta no tiene el formato esperado.",
        401 => "Falta el token de acceso, no es válido o venció, o el usuario está desactivado.",
        403 => "Tu rol no permite esta acción.",
        404 => "No existe, o es de otra empresa.",
        409 => "Choca con lo que ya hay; 'errors' nombra el campo cuando es uno.",
        413 => "El cuerpo supera el tamaño permitido.",
        415 => "El cuerpo no se envió como application/json.",
        422 => "Datos inválidos: 'errors' nombra cada campo y qué corregir.",
        429 => "Demasiadas solicitudes: espera los segundos de Retry-After.",
        503 => "Servicio no disponible por ahora (el clúster, la base de datos o un servicio externo): reintenta tras los segundos de Retry-After.",
        _ => Problems.TitleFor(status),
    };
}
