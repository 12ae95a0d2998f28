using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace AgenteVendedor.Api.Infrastructure;

/// <summary>
/// A problem+json answer (RFC 7807), the one refusal type handlers return beside their success
/// (<c>Results&lt;Ok&lt;T&gt;, ProblemAnswer&gt;</c>); one that says when to try again carries Retry-After.
/// Which statuses a route answers is declared on the route (<see cref="OpenApiAnswers"/>), not here.
/// </summary>
public sealed class ProblemAnswer(ProblemDetails details, int? retryAfterSeconds = null)
    : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IValueHttpResult<ProblemDetails>
{
    private readonly ProblemHttpResult _problem = TypedResults.Problem(details);

    public ProblemDetails ProblemDetails => _problem.ProblemDetails;

    public int StatusCode => _problem.StatusCode;

    public string ContentType => _problem.ContentType;

    public int? RetryAfterSeconds => retryAfterSeconds;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    ProblemDetails? IValueHttpResult<ProblemDetails>.Value => ProblemDetails;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        if (retryAfterSeconds is { } seconds)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return _problem.ExecuteAsync(httpContext);
    }
}
