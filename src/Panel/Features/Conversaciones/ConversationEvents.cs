using System.Text;
using System.Text.Json;
using AgenteVendedor.Panel.Api;
using AgenteVendedor.Panel.Session;

namespace AgenteVendedor.Panel.Features.Conversaciones;

/// <summary>
/// The Api's stream of the empresa's conversation changes (<c>GET /conversaciones/eventos</c>, server-sent
/// events), read by the panel's server for one circuit and handed to the open inbox as they come.
/// Reconnects after a broken stream, backing off up to 10 s.
/// </summary>
public sealed class ConversationEvents(IHttpClientFactory clients, ApiSession session, ILogger<ConversationEvents> logger) : IAsyncDisposable
{
    private CancellationTokenSource? _stop;
    private Task? _loop;

    /// <summary>A conversation changed; the handler runs on the reading loop, not the renderer.</summary>
    public event Func<Conversacion, Task>? Changed;

    /// <summary>The stream opened or broke.</summary>
    public event Func<Task>? ConnectionChanged;

    /// <summary>True while the stream is open (the inbox shows "en vivo").</summary>
    public bool Connected { get; private set; }

    private async Task SetConnectedAsync(bool connected)
    {
        if (Connected == connected)
        {
            return;
        }

        Connected = connected;
        if (ConnectionChanged is { } handlers)
        {
            await handlers();
        }
    }

    public void Start()
    {
        if (_loop is not null)
        {
            return;
        }

        _stop = new CancellationTokenSource();
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await ReadAsync(stop);
                delay = TimeSpan.FromMilliseconds(500);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                logger.LogInformation("El flujo de eventos de conversaciones se cortó: {Motivo}", e.Message);
            }

            await SetConnectedAsync(false);

            await Task.Delay(delay, stop).ContinueWith(_ => { }, TaskScheduler.Default);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
        }
    }

    private async Task ReadAsync(CancellationToken stop)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/conversaciones/eventos");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await session.TokenAsync());
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await clients.CreateClient(ApiSetup.EventStream).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            session.Expired();
            await Task.Delay(Timeout.Infinite, stop);
        }

        response.EnsureSuccessStatusCode();
        await SetConnectedAsync(true);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop), Encoding.UTF8);
        var name = "";
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(stop) is { } line)
        {
            if (line.Length == 0)
            {
                if (name == "conversacion" && data.Length > 0)
                {
                    await DispatchAsync(data.ToString());
                }

                name = "";
                data.Clear();
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                name = line[6..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Append(line[5..].TrimStart());
            }
        }
    }

    private async Task DispatchAsync(string json)
    {
        Conversacion? conversation;
        try
        {
            conversation = JsonSerializer.Deserialize<Conversacion>(json, ApiJson.Options);
        }
        catch (JsonException)
        {
            return;
        }

        if (conversation is not null && Changed is { } handlers)
        {
            foreach (var handler in handlers.GetInvocationList().Cast<Func<Conversacion, Task>>())
            {
                try
                {
                    await handler(conversation);
                }
                catch (ObjectDisposedException)
                {
                    // The page closed while the event was on its way.
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop is null)
        {
            return;
        }

        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _stop.Dispose();
    }
}
