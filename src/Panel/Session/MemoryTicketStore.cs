using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Memory;

namespace AgenteVendedor.Panel.Session;

/// <summary>
/// Keeps each session's ticket (and the Api token in it) in the panel's memory; the cookie carries only a
/// random key. Bounded: beyond <c>Session:MaxSessions</c> the oldest-expiring entries are compacted away, and
/// every entry leaves when its ticket expires. A restart of the panel signs everyone out.
/// </summary>
public sealed class MemoryTicketStore(IMemoryCache sessions) : ITicketStore
{
    private const string Prefix = "sesion:";

    public Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        Keep(key, ticket);
        return Task.FromResult(key);
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        Keep(key, ticket);
        return Task.CompletedTask;
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) =>
        Task.FromResult(sessions.TryGetValue(Prefix + key, out AuthenticationTicket? ticket) ? ticket : null);

    public Task RemoveAsync(string key)
    {
        sessions.Remove(Prefix + key);
        return Task.CompletedTask;
    }

    private void Keep(string key, AuthenticationTicket ticket)
    {
        var expires = ticket.Properties.ExpiresUtc ?? DateTimeOffset.UtcNow.AddHours(1);
        sessions.Set(Prefix + key, ticket, new MemoryCacheEntryOptions { AbsoluteExpiration = expires, Size = 1 });
    }
}

/// <summary>Hands the ticket store to the cookie handler once the container can build it.</summary>
public sealed class TicketStoreSetup(MemoryTicketStore store) : Microsoft.Extensions.Options.IPostConfigureOptions<CookieAuthenticationOptions>
{
    public void PostConfigure(string? name, CookieAuthenticationOptions options) => options.SessionStore = store;
}
