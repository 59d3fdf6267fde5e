/**
 * Jakarta EE wiring of the engine: thin adapters around {@code dev.arcana.engine}.
 *
 * <h2>What an application does</h2>
 * <ul>
 *   <li>Produces its graphs: {@code @Produces @GraphDefinition Graph ...} (methods, fields or beans);
 *       {@link dev.arcana.ee.cdi.ArcanaExtension} validates them all at deployment and fails it
 *       once, listing every problem (duplicate keys name both definitions).</li>
 *   <li>Provides exactly one {@link dev.arcana.api.spi.IdentityResolver} bean; without one every
 *       request is refused with 401 {@code unauthorized} ({@link dev.arcana.ee.IdentityResolution}).</li>
 *   <li>Injects the engine: {@code @Inject Arcana arcana} (or {@code ArcanaEngine} for the extras),
 *       started when the web application is ready, after the application's own start-up beans
 *       ({@link dev.arcana.ee.ArcanaStartupListener}), and stopped with it
 *       ({@link dev.arcana.ee.ArcanaRuntime}).</li>
 *   <li>Declares the resource reference {@code jdbc/arcana} to its PostgreSQL DataSource (web.xml
 *       {@code <resource-ref>}, bound per server) or names another JNDI name in
 *       {@code arcana.datasource}, and ships a transport bean: type
 *       {@link dev.arcana.api.spi.Transport}, {@code @Named(<arcana.transport>)}, e.g.
 *       {@code @Named("websocket")} from arcana-websocket-transport.</li>
 * </ul>
 * Portable Jakarta EE 10: arcana-ee is a bean archive ({@code beans.xml}, annotated discovery) and a
 * web fragment; beans of other archives (graphs, transports, the resolver) are captured by
 * {@link dev.arcana.ee.cdi.ArcanaExtension} and obtained by reference, whatever a server's
 * bean-archive visibility rules. Runs unchanged on Open Liberty, Payara and WildFly.
 *
 * <h2>Configuration (MicroProfile Config)</h2>
 * One settings pass at deployment reads these keys, the detectors' ({@link dev.arcana.ee.DetectorSettings}),
 * the container identity's ({@link dev.arcana.ee.ContainerIdentitySettings}) and every module's
 * {@link dev.arcana.ee.SettingsSection} ({@code arcana.ws.*}, {@code arcana.centrifugo.*}); invalid
 * values fail the deployment, together with bad graphs, with one {@link dev.arcana.ee.InvalidSettingsException}
 * naming every bad key and its value; the effective configuration is logged once ({@code ARCANA-CONFIG}).
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>valid</th><th>meaning</th></tr>
 *   <tr><td>arcana.devtools.enabled</td><td>false</td><td>true, false</td><td>DevTools at {mount}/devtools (README, "DevTools")</td></tr>
 *   <tr><td>arcana.devtools.recent-changes</td><td>200</td><td>1..10000</td><td>changes DevTools keeps with their runs' times</td></tr>
 *   <tr><td>arcana.debounce-ms</td><td>0</td><td>0..60000</td><td>least time between the starts of two runs of one query instance (runs are paced by their cost anyway)</td></tr>
 *   <tr><td>arcana.max-subscriptions-per-seance</td><td>100</td><td>1..1000000</td><td>subscriptions one seance may hold (429 beyond)</td></tr>
 *   <tr><td>arcana.max-subscriptions-per-identity</td><td>500</td><td>1..10000000</td><td>subscriptions one user may hold in one workspace across seances (429 too_many_subscriptions)</td></tr>
 *   <tr><td>arcana.max-seances-per-identity</td><td>32</td><td>1..1000000</td><td>seances one user may hold in one workspace (429 too_many_seances)</td></tr>
 *   <tr><td>arcana.max-instances-per-workspace</td><td>10000</td><td>1..10000000</td><td>live query instances of one workspace (429 too_many_instances)</td></tr>
 *   <tr><td>arcana.max-sync-views</td><td>the per-seance cap</td><td>1..max-subscriptions-per-seance</td><td>views one sync may carry (429 too_many_views)</td></tr>
 *   <tr><td>arcana.snapshot-threshold</td><td>50</td><td>1..100000</td><td>versions of history per subscription; a larger gap syncs by snapshot</td></tr>
 *   <tr><td>arcana.gc-interval-ms</td><td>60000</td><td>1..86400000</td><td>how often unreferenced rows leave the stores</td></tr>
 *   <tr><td>arcana.notify-queue-capacity</td><td>10000</td><td>1..1000000</td><td>explicit notifications buffered before table-wide invalidation</td></tr>
 *   <tr><td>arcana.load-timeout-ms</td><td>30000</td><td>1..600000</td><td>how long a subscribe waits for a new view's first run</td></tr>
 *   <tr><td>arcana.query-timeout-s</td><td>0</td><td>0..86400</td><td>statement timeout of factory queries (0: none)</td></tr>
 *   <tr><td>arcana.seance-idle-ttl-ms</td><td>300000</td><td>0..86400000</td><td>release a seance no transport holds after this long without a call (0: never)</td></tr>
 *   <tr><td>arcana.datasource</td><td>java:comp/env/jdbc/arcana</td><td>a JNDI name</td><td>the PostgreSQL DataSource</td></tr>
 *   <tr><td>arcana.run-threads</td><td>max(4, 2 × cores)</td><td>1..1024</td><td>threads that run graph factories</td></tr>
 *   <tr><td>arcana.mount</td><td>/arcana</td><td>/segment[/segment...], no trailing '/'</td><td>WebSocket endpoint at {mount}/ws; HTTP see below</td></tr>
 *   <tr><td>arcana.http.max-body-bytes</td><td>65536</td><td>256..67108864</td><td>request body limit (413 too_large beyond)</td></tr>
 *   <tr><td>arcana.detector</td><td>explicit</td><td>explicit, notify, wal</td><td>change detector ({@link dev.arcana.ee.DetectorSettings})</td></tr>
 *   <tr><td>arcana.transport</td><td>websocket</td><td>websocket, centrifugo</td><td>transport bean, by its @Named</td></tr>
 * </table>
 *
 * <h2>Where the HTTP endpoints live</h2>
 * {@link dev.arcana.ee.rest.ArcanaRestApplication} is {@code @ApplicationPath("arcana")}, relative to
 * the web application's context root. {@code @ApplicationPath} is static and, on Open Liberty, a
 * mapping added at runtime reaches the servlet but not the JAX-RS path matching, so
 * {@code arcana.mount} cannot move the HTTP endpoints by itself. To move them (and keep them
 * consistent with the WebSocket endpoint), set {@code arcana.mount=/live} and map the servlet the
 * JAX-RS runtime registers for the application class in {@code WEB-INF/web.xml}:
 * <pre>{@code
 * <servlet>
 *   <servlet-name>dev.arcana.ee.rest.ArcanaRestApplication</servlet-name>
 * </servlet>
 * <servlet-mapping>
 *   <servlet-name>dev.arcana.ee.rest.ArcanaRestApplication</servlet-name>
 *   <url-pattern>/live/*</url-pattern>
 * </servlet-mapping>
 * }</pre>
 * The mapping replaces {@code /arcana/*} (the {@code <servlet>} element is required: Liberty
 * refuses a mapping to an undeclared servlet). {@link dev.arcana.ee.rest.ArcanaMountListener} warns
 * at start, with this fragment, when the setting and the mapping disagree.
 */
package dev.arcana.ee;
