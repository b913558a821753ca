/* Tracking adapter: xAPI with Tin Can launch. The LMS (or a launch link) opens the course with
 *   index.html?endpoint=<LRS>&auth=<Basic ...>&actor=<JSON agent>&registration=<uuid>
 *             &activity_id=<course IRI>
 * Statements go to <endpoint>statements; progress (bookmark and saved state) is a State
 * document ("course_builder.state") so the learner can resume on another machine; it is read
 * asynchronously by the adapter's prepare() before the course starts. Without an endpoint and
 * actor the course still runs, keeping progress in this browser only. */
(function (R) {
  "use strict";
  R.adapters = R.adapters || {};

  R.adapters.xapi = function (course) {
    var p = R.lrs.launchParams();
    var actor = p.actor ? R.lrs.parseActor(p.actor) : null;
    var log = [];
    if (!p.endpoint || !actor) {
      var fallback = R.adapters.none(course);
      fallback.log = log;
      log.push("no Tin Can launch parameters (endpoint, actor): progress stays in this browser");
      return fallback;
    }
    return R.lrs.adapter(course, {
      endpoint: p.endpoint, auth: p.auth || "", actor: actor,
      registration: p.registration || null,
      // tincan.xml's launch activity: the course's, or its variant's (docs/variants.md)
      activityId: p.activity_id || (course.xapi.variant ? course.xapi.variant.activity : course.xapi.course).id,
      log: log, cmi5: null
    });
  };
})(window.__cb = window.__cb || {});
