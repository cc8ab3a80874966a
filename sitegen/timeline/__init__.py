"""The story's timeline: when each scene happens, where, and who is in it.

Two steps, so a rebuild redoes only the files that changed: `facts.scene_facts`
reads one file's scenes (time step, place, characters: `SceneFacts`), and
`fold.fold_timeline` runs the story clock over the whole work's facts and
applies the author's overrides.

- clock: time markers in a scene's opening ("Later that day", "The next
  morning", "A few days later", a character waking) or a chapter heading, and
  the relative story clock they move: "Day 1", "Day 1, night", "Day 2,
  morning", ... Vague skips stay vague ("A few days later"), never an invented
  day number.
- places: phrases like "at the bridge" or "to the Hokage tower" in the narration.
- presence: who speaks or thinks in the scene and who the narration names.
- overrides: ``[[timeline]]`` tables in work.toml, the author's corrections.
- facts: one file's scenes read with the above; fold: the whole work's clock.

The page's view of it (render/timeline_view.py) turns the events into plain data for timeline.html.
"""
