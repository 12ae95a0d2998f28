using System.Net;
using System.Net.Http.Json;
using AgenteVendedor.Panel.Session;

namespace AgenteVendedor.Panel.Api;

/// <summary>
/// What every typed client of the Api shares: the session's bearer token on each request, JSON both ways,
/// and problem+json turned into an <see cref="ApiProblem"/> instead of an exception. A 401 ends the session.
/// </summary>
public abstract class ApiClientBase(HttpClient http, ApiSession? session)
{
    protected Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Get, path, null, cancellationToken);

    protected Task<ApiResult<T>> PostAsync<T>(string path, object? body, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Post, path, body, cancellationToken);

    protected Task<ApiResult<T>> PutAsync<T>(string path, object? body, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Put, path, body, cancellationToken);

    protected Task<ApiResult<T>> PatchAsync<T>(string path, object? body, CancellationToken cancellationToken = default) =>
        SendAsync<T>(HttpMethod.Patch, path, body, cancellationToken);

    protected Task<ApiResult<T>> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken = default) =>
        SendAsync<T>(method, path, body is null ? null : JsonContent.Create(body, options: ApiJson.Options), null, cancellationToken);

    protected async Task<ApiResult<T>> SendAsync<T>(
        HttpMethod method, string path, HttpContent? content, IReadOnlyDictionary<string, string>? headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (session is not null && await session.TokenAsync() is { } token)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                if (response.StatusCode == HttpStatusCode.NoContent || typeof(T) == typeof(NoContent))
                {
                    return ApiResult<T>.Success(default!);
                }

                var value = await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, cancellationToken);
                return value is null ? ApiResult<T>.Failure(ApiProblem.Unreachable()) : ApiResult<T>.Success(value);
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                session?.Expired();
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return ApiResult<T>.Failure(ApiProblem.Parse(response.StatusCode, body));
        }
        catch (HttpRequestException)
        {
            return ApiResult<T>.Failure(ApiProblem.Unreachable());
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ApiResult<T>.Failure(ApiProblem.Unreachable());
        }
    }

    /// <summary>A key for a POST that creates something, so a retried request never creates it twice.</summary>
    protected static IReadOnlyDictionary<string, string> Idempotent() =>
        new Dictionary<string, string> { ["Idempotency-Key"] = Guid.NewGuid().ToString("N") };
}

/// <summary>The value of a call that answers no body.</summary>
public sealed record NoContent;

/// <summary>One page of a paged Api list.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, long Total, int Pagina, int Tamano);
